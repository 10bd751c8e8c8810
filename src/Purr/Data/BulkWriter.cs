using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Purr.Data;

/// <summary>
/// Set-based writes for the hot paths (bulk imports): plain entity objects, not tracked by the context, are inserted
/// and updated in the context's current transaction — prepared statements on SQLite, binary COPY on PostgreSQL. Table,
/// column names and value conversions come from the EF model, so the rows are exactly what SaveChanges would write.
/// </summary>
/// <remarks>
/// Ids are reserved up front (<see cref="AssignIdsAsync{T}"/>): on SQLite above the table's highest id (the import holds
/// the write lock), on PostgreSQL from the identity sequence. <see cref="FixForeignKeys{T}"/> copies the ids of
/// referenced objects into foreign-key properties, as EF's fix-up would. The caller owns the transaction and writes
/// principals before dependents (foreign keys are enforced on both providers).
/// </remarks>
public sealed class BulkWriter(PurrDbContext db)
{
    private bool IsPostgres => db is PostgresPurrDbContext;

    /// <summary>Gives every row with id 0 a new id of its table.</summary>
    public async Task AssignIdsAsync<T>(IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        var entity = Entity<T>();
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var pending = rows.Where(r => (long)key.GetGetter().GetClrValue(r)! == 0).ToList();
        if (pending.Count == 0) return;
        var table = entity.GetTableName()!;
        var column = Column(key, entity);
        var ids = new List<long>(pending.Count);
        if (IsPostgres)
        {
            await using var cmd = Command($"SELECT nextval(pg_get_serial_sequence('\"{table}\"', '{column}')) FROM generate_series(1, {pending.Count.ToString(CultureInfo.InvariantCulture)})");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        }
        else
        {
            await using var cmd = Command($"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0), coalesce((SELECT max(\"{column}\") FROM \"{table}\"), 0))");
            var top = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            for (var i = 1; i <= pending.Count; i++) ids.Add(top + i);
        }
        var setter = key.PropertyInfo!;
        for (var i = 0; i < pending.Count; i++) setter.SetValue(pending[i], ids[i]);
    }

    /// <summary>Copies the key of each referenced object (a navigation that is set) into its foreign-key property.</summary>
    public void FixForeignKeys<T>(IEnumerable<T> rows) where T : class
    {
        var fks = Entity<T>().GetForeignKeys().Where(fk => fk.DependentToPrincipal is not null && fk.Properties.Count == 1).ToList();
        foreach (var row in rows)
            foreach (var fk in fks)
            {
                var principal = fk.DependentToPrincipal!.GetGetter().GetClrValue(row);
                if (principal is null) continue;
                var key = fk.PrincipalKey.Properties[0].GetGetter().GetClrValue(principal);
                fk.Properties[0].PropertyInfo!.SetValue(row, key);
            }
    }

    /// <summary>Inserts the rows with all their columns (ids included: assign them first).</summary>
    public async Task InsertAsync<T>(IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var entity = Entity<T>();
        var columns = entity.GetProperties().ToList();
        if (IsPostgres)
        {
            await CopyAsync(entity.GetTableName()!, entity, columns, rows, ct);
            return;
        }
        // SQLite runs in process: one prepared single-row INSERT, executed per row (multi-row statements are slower:
        // Microsoft.Data.Sqlite binds parameters by name, which costs more as the parameter count grows).
        var sql = $"INSERT INTO \"{entity.GetTableName()}\" ({string.Join(", ", columns.Select(c => Quote(Column(c, entity))))}) " +
                  $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)))})";
        await ExecutePreparedAsync(sql, columns, rows, ct);
    }

    /// <summary>Updates the named properties of existing rows, by id.</summary>
    public async Task UpdateAsync<T>(IReadOnlyCollection<T> rows, IReadOnlyList<string> properties, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var entity = Entity<T>();
        var table = entity.GetTableName()!;
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var set = properties.Select(p => entity.FindProperty(p) ?? throw new ArgumentException($"{typeof(T).Name} has no property {p}", nameof(properties))).ToList();
        if (IsPostgres)
        {
            // COPY the whole rows into a temporary copy of the table, then one UPDATE ... FROM.
            var temp = "bulk_" + table;
            await using (var create = Command($"CREATE TEMP TABLE IF NOT EXISTS \"{temp}\" (LIKE \"{table}\") ON COMMIT DROP; TRUNCATE \"{temp}\""))
                await create.ExecuteNonQueryAsync(ct);
            await CopyAsync(temp, entity, entity.GetProperties().ToList(), rows, ct);
            var assignments = string.Join(", ", set.Select(p => $"{Quote(Column(p, entity))} = s.{Quote(Column(p, entity))}"));
            await using var update = Command($"UPDATE \"{table}\" AS t SET {assignments} FROM \"{temp}\" AS s WHERE t.{Quote(Column(key, entity))} = s.{Quote(Column(key, entity))}");
            await update.ExecuteNonQueryAsync(ct);
        }
        else
        {
            var columns = set.Append(key).ToList();
            var sql = $"UPDATE \"{table}\" SET {string.Join(", ", set.Select((p, i) => $"{Quote(Column(p, entity))} = @p{i.ToString(CultureInfo.InvariantCulture)}"))} " +
                      $"WHERE {Quote(Column(key, entity))} = @p{set.Count.ToString(CultureInfo.InvariantCulture)}";
            await ExecutePreparedAsync(sql, columns, rows, ct);
        }
    }

    private async Task ExecutePreparedAsync<T>(string sql, List<IProperty> columns, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        var (cmd, parameters) = await PrepareAsync(sql, columns, ct);
        var accessors = Accessors.Of(columns);
        await using (cmd)
        {
            foreach (var row in rows)
            {
                Bind(parameters, accessors, row);
                cmd.ExecuteNonQuery();
            }
        }
    }

    private async Task<(DbCommand Command, DbParameter[] Parameters)> PrepareAsync(string sql, List<IProperty> columns, CancellationToken ct)
    {
        var cmd = Command(sql);
        var parameters = new DbParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i] = columns[i].GetRelationalTypeMapping().CreateParameter(cmd, "@p" + i.ToString(CultureInfo.InvariantCulture), null, columns[i].IsNullable);
            cmd.Parameters.Add(parameters[i]);
        }
        await cmd.PrepareAsync(ct);
        return (cmd, parameters);
    }

    // Sets the parameters from one row, converting values to the provider's form as the model says (enums to text,
    // instants to numbers on SQLite).
    private static void Bind<T>(DbParameter[] parameters, Accessors columns, T row) where T : class
    {
        for (var c = 0; c < parameters.Length; c++)
        {
            var value = columns.Getters[c].GetClrValue(row);
            if (value is not null && columns.Converters[c] is { } converter) value = converter.ConvertToProvider(value);
            parameters[c].Value = value ?? DBNull.Value;
        }
    }

    private sealed record Accessors(IClrPropertyGetter[] Getters, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter?[] Converters)
    {
        public static Accessors Of(List<IProperty> columns) =>
            new(columns.Select(c => c.GetGetter()).ToArray(), columns.Select(c => c.GetRelationalTypeMapping().Converter).ToArray());
    }

    private async Task CopyAsync<T>(string table, IEntityType entity, List<IProperty> columns, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var types = columns.Select(c => BaseType(c.GetRelationalTypeMapping().StoreType)).ToList();
        var converters = columns.Select(c => c.GetRelationalTypeMapping().Converter).ToList();
        var getters = columns.Select(c => c.GetGetter()).ToList();
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => Quote(Column(c, entity))))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < columns.Count; i++)
            {
                var value = getters[i].GetClrValue(row);
                if (value is null) { await importer.WriteNullAsync(ct); continue; }
                if (converters[i] is { } converter) value = converter.ConvertToProvider(value);
                await importer.WriteAsync(value, types[i], ct);
            }
        }
        await importer.CompleteAsync(ct);
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

    private static string Column(IProperty p, IEntityType entity) =>
        p.GetColumnName(StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()))!;

    private static string Quote(string name) => "\"" + name + "\"";

    // "character varying(20)" → "character varying": COPY wants the type name without its modifier.
    private static string BaseType(string storeType)
    {
        var paren = storeType.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? storeType : new StringBuilder(storeType).Remove(paren, storeType.IndexOf(')', paren) - paren + 1).ToString().Trim();
    }
}
