using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace Purr.Data;

/// <summary>
/// Set-based writes for the hot paths (bulk imports): plain entity objects, not tracked by the context, are inserted
/// and updated in the context's current transaction — prepared statements on SQLite, binary COPY on PostgreSQL. Table,
/// column names and value conversions come from the EF model, so the rows are exactly what SaveChanges would write.
/// </summary>
/// <remarks>
/// New rows get their ids from the database (identity / autoincrement). When other rows refer to them, read the ids
/// back with <see cref="LoadIdsAsync{T}"/>: both providers number the rows of one insert in the order they were sent.
/// <see cref="FixForeignKeys{T}"/> then copies the ids of referenced objects into foreign-key properties, as EF's
/// fix-up would. The caller owns the transaction and writes principals before dependents (foreign keys are enforced on
/// both providers).
/// </remarks>
public sealed class BulkWriter(PurrDbContext db)
{
    private bool IsPostgres => db is PostgresPurrDbContext;

    /// <summary>Inserts new rows (id 0) with all their other columns; the database gives the ids.</summary>
    public async Task InsertAsync<T>(IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var entity = Entity<T>();
        var key = Key(entity);
        if (rows.Any(r => (long)key.GetGetter().GetClrValue(r)! != 0))
            throw new ArgumentException($"{typeof(T).Name} rows to insert must be new (id 0)", nameof(rows));
        var columns = entity.GetProperties().Where(p => p != key).ToList();
        var table = entity.GetTableName()!;
        if (IsPostgres)
        {
            await CopyAsync(table, entity, columns, rows, ct);
            return;
        }
        // SQLite runs in process: one prepared single-row INSERT, executed per row (multi-row statements are slower:
        // Microsoft.Data.Sqlite binds parameters by name, which costs more as the parameter count grows).
        var sql = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(Column(c, entity))))}) " +
                  $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)))})";
        await ExecutePreparedAsync(sql, columns, rows, ct);
    }

    /// <summary>
    /// Reads back the ids the database gave to <paramref name="rows"/>, which were inserted by <see cref="InsertAsync{T}"/>
    /// in this order and are exactly the rows whose <paramref name="property"/> equals <paramref name="value"/> and whose
    /// id is above <paramref name="afterId"/> (a chunked import passes the highest id of its previous chunk).
    /// </summary>
    public async Task LoadIdsAsync<T>(IReadOnlyList<T> rows, string property, long value, CancellationToken ct, long afterId = 0) where T : class
    {
        if (rows.Count == 0) return;
        var entity = Entity<T>();
        var key = Key(entity);
        var by = entity.FindProperty(property) ?? throw new ArgumentException($"{typeof(T).Name} has no property {property}", nameof(property));
        await using var cmd = Command($"SELECT {Quote(Column(key, entity))} FROM {Quote(entity.GetTableName()!)} WHERE {Quote(Column(by, entity))} = @v AND {Quote(Column(key, entity))} > @after ORDER BY 1");
        foreach (var (name, v) in new[] { ("@v", value), ("@after", afterId) })
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = v;
            cmd.Parameters.Add(p);
        }
        var ids = new List<long>(rows.Count);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        if (ids.Count != rows.Count)
            throw new InvalidOperationException($"{ids.Count} {entity.GetTableName()} rows have {property} = {value}; {rows.Count} were inserted");
        var setter = key.PropertyInfo!;
        for (var i = 0; i < rows.Count; i++) setter.SetValue(rows[i], ids[i]);
    }

    /// <summary>Copies the key of each referenced object (a navigation that is set) into its foreign-key property.</summary>
    public void FixForeignKeys<T>(IEnumerable<T> rows) where T : class
    {
        var fks = Entity<T>().GetForeignKeys().Where(fk => fk.DependentToPrincipal is not null && fk.Properties.Count == 1)
            .Select(fk => (Navigation: fk.DependentToPrincipal!.GetGetter(), Key: fk.PrincipalKey.Properties[0].GetGetter(), Property: fk.Properties[0].PropertyInfo!))
            .ToList();
        foreach (var row in rows)
            foreach (var (navigation, key, property) in fks)
            {
                var principal = navigation.GetClrValue(row);
                if (principal is not null) property.SetValue(row, key.GetClrValue(principal));
            }
    }

    /// <summary>Updates the named properties of existing rows, by id.</summary>
    public async Task UpdateAsync<T>(IReadOnlyCollection<T> rows, IReadOnlyList<string> properties, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var entity = Entity<T>();
        var table = entity.GetTableName()!;
        var key = Key(entity);
        var set = properties.Select(p => entity.FindProperty(p) ?? throw new ArgumentException($"{typeof(T).Name} has no property {p}", nameof(properties))).ToList();
        var columns = set.Append(key).ToList();
        if (IsPostgres)
        {
            // COPY the key and the changed columns into a temporary table, then one UPDATE ... FROM.
            var temp = "bulk_" + table;
            var names = string.Join(", ", columns.Select(c => Quote(Column(c, entity))));
            await using (var create = Command($"DROP TABLE IF EXISTS {Quote(temp)}; CREATE TEMP TABLE {Quote(temp)} ON COMMIT DROP AS SELECT {names} FROM {Quote(table)} WITH NO DATA"))
                await create.ExecuteNonQueryAsync(ct);
            await CopyAsync(temp, entity, columns, rows, ct);
            var assignments = string.Join(", ", set.Select(p => $"{Quote(Column(p, entity))} = s.{Quote(Column(p, entity))}"));
            await using var update = Command($"UPDATE {Quote(table)} AS t SET {assignments} FROM {Quote(temp)} AS s WHERE t.{Quote(Column(key, entity))} = s.{Quote(Column(key, entity))}");
            await update.ExecuteNonQueryAsync(ct);
        }
        else
        {
            var sql = $"UPDATE {Quote(table)} SET {string.Join(", ", set.Select((p, i) => $"{Quote(Column(p, entity))} = @p{i.ToString(CultureInfo.InvariantCulture)}"))} " +
                      $"WHERE {Quote(Column(key, entity))} = @p{set.Count.ToString(CultureInfo.InvariantCulture)}";
            await ExecutePreparedAsync(sql, columns, rows, ct);
        }
    }

    private async Task ExecutePreparedAsync<T>(string sql, List<IProperty> columns, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        await using var cmd = Command(sql);
        var parameters = new DbParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i] = columns[i].GetRelationalTypeMapping().CreateParameter(cmd, "@p" + i.ToString(CultureInfo.InvariantCulture), null, columns[i].IsNullable);
            cmd.Parameters.Add(parameters[i]);
        }
        await cmd.PrepareAsync(ct);
        var accessors = Accessors.Of(columns);
        foreach (var row in rows)
        {
            for (var c = 0; c < parameters.Length; c++) parameters[c].Value = accessors.Value(c, row) ?? DBNull.Value;
            cmd.ExecuteNonQuery(); // Microsoft.Data.Sqlite is synchronous underneath; the async path only adds overhead per row
        }
    }

    private async Task CopyAsync<T>(string table, IEntityType entity, List<IProperty> columns, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var types = columns.Select(c => BaseType(c.GetRelationalTypeMapping().StoreType)).ToArray();
        var accessors = Accessors.Of(columns);
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(Column(c, entity))))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            // Synchronous writes: the importer buffers and flushes by itself; an awaited call per value costs more than the value.
            importer.StartRow();
            for (var c = 0; c < types.Length; c++)
            {
                if (accessors.Value(c, row) is { } value) importer.Write(value, types[c]);
                else importer.WriteNull();
            }
        }
        await importer.CompleteAsync(ct);
    }

    /// <summary>Per column: the compiled getter and the model's value converter (enums to text, instants to numbers on SQLite).</summary>
    private sealed record Accessors(IClrPropertyGetter[] Getters, ValueConverter?[] Converters)
    {
        public static Accessors Of(List<IProperty> columns) =>
            new(columns.Select(c => c.GetGetter()).ToArray(), columns.Select(c => c.GetRelationalTypeMapping().Converter).ToArray());

        public object? Value(int column, object row)
        {
            var value = Getters[column].GetClrValue(row);
            return value is not null && Converters[column] is { } converter ? converter.ConvertToProvider(value) : value;
        }
    }

    private DbCommand Command(string sql)
    {
        var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("bulk writes run inside the caller's transaction (Database.BeginTransactionAsync)");
        return cmd;
    }

    private IEntityType Entity<T>() => db.Model.FindEntityType(typeof(T)) ?? throw new ArgumentException($"{typeof(T).Name} is not in the model");

    private static IProperty Key(IEntityType entity) => entity.FindPrimaryKey()!.Properties.Single();

    private static string Column(IProperty p, IEntityType entity) =>
        p.GetColumnName(StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()))!;

    private static string Quote(string name) => "\"" + name + "\"";

    // "character varying(20)" → "character varying": COPY wants the type name without its modifier.
    private static string BaseType(string storeType) =>
        storeType.IndexOf('(', StringComparison.Ordinal) is var paren and >= 0 ? storeType[..paren].TrimEnd() + storeType[(storeType.IndexOf(')', paren) + 1)..] : storeType;
}
