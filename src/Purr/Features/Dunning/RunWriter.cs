using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Purr.Data;

namespace Purr.Features.Dunning;

/// <summary>
/// Writes the rows of a dunning run — letters, notices, charges, claim events and list moves — with plain ADO.NET
/// commands on the context's own connection, inside the transaction the caller began on the context.
/// </summary>
/// <remarks>
/// EF change tracking and SaveChanges cost far more than the inserts themselves at run sizes (hundreds of thousands
/// of rows). Where the provider can batch (PostgreSQL, <see cref="DbConnection.CanCreateBatch"/>) rows go out as
/// <see cref="DbBatch"/>es of many single-row commands, one round trip each; otherwise (SQLite, in process) one
/// prepared command per table is re-executed row by row. Table and column names, store types and value conversions
/// (enums as strings, SQLite instants as 64-bit values, dates) all come from the EF model, exactly as SaveChanges
/// would write them.
/// </remarks>
internal sealed class RunWriter : IDisposable
{
    /// <summary>Commands per <see cref="DbBatch"/>: large enough to amortise the round trip, small enough to keep buffers small.</summary>
    private const int MaxBatch = 500;

    private readonly DbConnection _connection;
    private readonly DbCommand _parameterFactory;
    private readonly bool _batching;
    private readonly Statement _letter, _notice, _charge, _event, _move;
    private readonly List<Statement> _statements;
    private DbTransaction? _transaction;
    private DbBatch? _batch;

    private RunWriter(PurrDbContext db)
    {
        _connection = db.Database.GetDbConnection();
        _parameterFactory = _connection.CreateCommand();
        _batching = _connection.CanCreateBatch;
        var sql = db.GetService<ISqlGenerationHelper>();
        var model = db.Model;
        _letter = Insert<Letter>(model, sql, returningId: true);
        _notice = Insert<Notice>(model, sql, returningId: false);
        _charge = Insert<Charge>(model, sql, returningId: false);
        _event = Insert<ClaimEvent>(model, sql, returningId: false);

        // A list move: the list and the day it was entered change only when the list does; a handover date is kept
        // unless one is given. The list code is never null here, so "=" is enough (a NULL list compares unknown: moved).
        var invoice = model.FindEntityType(typeof(Invoice))!;
        string Col(string property) => sql.DelimitIdentifier(invoice.FindProperty(property)!.GetColumnName());
        var (list, entered, handed, id) = (Col(nameof(Invoice.DunningList)), Col(nameof(Invoice.ListEnteredOn)), Col(nameof(Invoice.HandedOverOn)), Col(nameof(Invoice.Id)));
        _move = new Statement(
            $"UPDATE {Table(invoice, sql)} SET {entered} = CASE WHEN {list} = @p0 THEN {entered} ELSE @p1 END, {list} = @p0, {handed} = COALESCE(@p2, {handed}) WHERE {id} = @p3",
            [.. new[] { nameof(Invoice.DunningList), nameof(Invoice.ListEnteredOn), nameof(Invoice.HandedOverOn), nameof(Invoice.Id) }.Select(p => invoice.FindProperty(p)!)],
            getters: null);
        _statements = [_letter, _notice, _charge, _event, _move];
    }

    /// <summary>What one claim writes: its list move and, when it takes a step, its notice (with the notice's letter), fee charge and history.</summary>
    /// <param name="InvoiceId">The claim.</param>
    /// <param name="List">The list code it is in after the run; the list and its entry day change only when this differs from the stored list.</param>
    /// <param name="HandedOverOn">The handover date, for a handover step; null keeps the stored one.</param>
    /// <param name="Notice">The notice; its <see cref="Notice.Letter"/> (shared by the claims of one grouped letter) is written once, before it.</param>
    /// <param name="Charge">The fee charge, when there is a fee.</param>
    /// <param name="Event">The history entry.</param>
    public sealed record ClaimWrite(long InvoiceId, string List, DateOnly? HandedOverOn, Notice? Notice, Charge? Charge, ClaimEvent? Event);

    /// <summary>A writer on <paramref name="db"/>'s connection, which the caller keeps open while it is used.</summary>
    public static RunWriter Create(PurrDbContext db) => new(db);

    /// <summary>
    /// Writes one chunk in <paramref name="transaction"/> (the context's current one): every letter not written yet
    /// (its <see cref="Letter.Id"/> is set, and every notice's <see cref="Notice.LetterId"/>), notices, charges, history
    /// and list moves (entered on <paramref name="today"/>).
    /// </summary>
    /// <remarks>
    /// Without batching the rows go claim by claim (move, letter, notice, charge, event), which keeps SQLite's page
    /// cache on the same few pages; with batching all letters go first (their ids are needed), then everything else.
    /// </remarks>
    public async Task WriteChunkAsync(DbTransaction transaction, IReadOnlyList<ClaimWrite> claims, DateOnly today, CancellationToken ct)
    {
        _transaction = transaction;
        if (!_batching)
        {
            foreach (var s in _statements)
                if (s.Prepared is { } cmd) cmd.Transaction = transaction;
            foreach (var c in claims)
            {
                await Prepared(_move, new object?[] { c.List, today, c.HandedOverOn, c.InvoiceId }).ExecuteNonQueryAsync(ct);
                if (c.Notice is { } n)
                {
                    if (n.Letter is { } l)
                    {
                        if (l.Id == 0) l.Id = (long)(await Prepared(_letter, l).ExecuteScalarAsync(ct))!;
                        n.LetterId = l.Id;
                    }
                    await Prepared(_notice, n).ExecuteNonQueryAsync(ct);
                }
                if (c.Charge is { } charge) await Prepared(_charge, charge).ExecuteNonQueryAsync(ct);
                if (c.Event is { } e) await Prepared(_event, e).ExecuteNonQueryAsync(ct);
            }
            return;
        }

        var letters = claims.Select(c => c.Notice?.Letter).OfType<Letter>().Where(l => l.Id == 0).Distinct<Letter>(ReferenceEqualityComparer.Instance).ToList();
        foreach (var part in letters.Chunk(MaxBatch))
        {
            using var batch = NewBatch();
            foreach (var l in part) batch.BatchCommands.Add(BatchCommand(batch, _letter, l));
            await using var reader = await batch.ExecuteReaderAsync(ct);
            foreach (var l in part)
            {
                if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("the letter insert returned no id");
                l.Id = reader.GetInt64(0);
                await reader.NextResultAsync(ct);
            }
        }
        foreach (var c in claims)
        {
            await QueueAsync(_move, new object?[] { c.List, today, c.HandedOverOn, c.InvoiceId }, ct);
            if (c.Notice is { } n)
            {
                n.LetterId = n.Letter?.Id;
                await QueueAsync(_notice, n, ct);
            }
            if (c.Charge is { } charge) await QueueAsync(_charge, charge, ct);
            if (c.Event is { } e) await QueueAsync(_event, e, ct);
        }
        await FlushAsync(ct);
    }

    public void Dispose()
    {
        _batch?.Dispose();
        foreach (var s in _statements) s.Prepared?.Dispose();
        _parameterFactory.Dispose();
    }

    private async Task QueueAsync(Statement s, object row, CancellationToken ct)
    {
        _batch ??= NewBatch();
        _batch.BatchCommands.Add(BatchCommand(_batch, s, row));
        if (_batch.BatchCommands.Count >= MaxBatch) await FlushAsync(ct);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_batch is not { } batch) return;
        _batch = null;
        using (batch) await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The statement's prepared command with the row's values bound (created and prepared on first use).</summary>
    private DbCommand Prepared(Statement s, object row)
    {
        if (s.Prepared is not { } cmd)
        {
            cmd = _connection.CreateCommand();
            cmd.CommandText = s.Sql;
            cmd.Transaction = _transaction;
            for (var i = 0; i < s.Columns.Length; i++)
                cmd.Parameters.Add(s.Columns[i].Mapping.CreateParameter(cmd, "@p" + i, null, s.Columns[i].Nullable));
            cmd.Prepare();
            s.Prepared = cmd;
        }
        for (var i = 0; i < s.Columns.Length; i++)
            cmd.Parameters[i].Value = s.Columns[i].ToProvider(s.Value(row, i));
        return cmd;
    }

    private DbBatchCommand BatchCommand(DbBatch batch, Statement s, object row)
    {
        var c = batch.CreateBatchCommand();
        c.CommandText = s.Sql;
        for (var i = 0; i < s.Columns.Length; i++)
            c.Parameters.Add(s.Columns[i].Mapping.CreateParameter(_parameterFactory, "@p" + i, s.Value(row, i), s.Columns[i].Nullable));
        return c;
    }

    private DbBatch NewBatch()
    {
        var batch = _connection.CreateBatch();
        batch.Transaction = _transaction;
        return batch;
    }

    private static string Table(IEntityType entity, ISqlGenerationHelper sql) => sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());

    /// <summary>INSERT of every mapped property of <typeparamref name="T"/> except its generated key.</summary>
    private static Statement Insert<T>(IModel model, ISqlGenerationHelper sql, bool returningId)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var properties = entity.GetProperties().Where(p => !p.IsPrimaryKey()).ToArray();
        if (properties.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
            throw new InvalidOperationException($"{typeof(T).Name}.{shadow.Name} is a shadow property: the run writer reads values from the entity");
        var columns = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName())));
        var values = string.Join(", ", properties.Select((_, i) => "@p" + i));
        var key = sql.DelimitIdentifier(entity.FindPrimaryKey()!.Properties.Single().GetColumnName());
        return new Statement($"INSERT INTO {Table(entity, sql)} ({columns}) VALUES ({values}){(returningId ? " RETURNING " + key : "")}",
            properties, properties.Select(p => p.GetGetter()).ToArray());
    }

    /// <summary>One column: its EF type mapping (store type, converter) and whether it may be NULL.</summary>
    private sealed class Column(IProperty property)
    {
        public RelationalTypeMapping Mapping { get; } = property.GetRelationalTypeMapping();
        public bool Nullable { get; } = property.IsNullable;

        /// <summary>The value as the provider stores it, as <see cref="RelationalTypeMapping.CreateParameter"/> converts it.</summary>
        public object ToProvider(object? value)
        {
            if (Mapping.Converter is { } converter) value = converter.ConvertToProvider(value);
            else if (value is Enum e) value = Convert.ChangeType(e, e.GetTypeCode(), System.Globalization.CultureInfo.InvariantCulture);
            return value ?? DBNull.Value;
        }
    }

    /// <summary>A statement and its parameters; values come from an entity's getters or from an object array.</summary>
    private sealed class Statement(string sql, IReadOnlyList<IProperty> parameters, IClrPropertyGetter[]? getters)
    {
        public string Sql { get; } = sql;
        public Column[] Columns { get; } = [.. parameters.Select(p => new Column(p))];
        public DbCommand? Prepared { get; set; }

        public object? Value(object row, int i) => getters is null ? ((object?[])row)[i] : getters[i].GetClrValueUsingContainingEntity(row);
    }
}
