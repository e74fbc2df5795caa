using System.Text;
using Npgsql;
using Router.Core.Stores;

namespace Router.Storage.Postgres;

/// <summary>Turns a <see cref="DeadLetterQuery"/> into a WHERE clause and its parameters, for listing and grouping alike.</summary>
internal static class PostgresDeadLetterFilter
{
    // lower() under the database's own locale folds only ASCII when that locale is C; ICU's root locale folds
    // Russian error texts from 1C and partners whatever the database was created with.
    private const string Folded = "COLLATE \"und-x-icu\")";

    public static string WhereClause(DeadLetterQuery query)
    {
        var conditions = new List<string>();
        if (query.Route is not null)
        {
            conditions.Add("route = @route");
        }
        if (query.Endpoint is not null)
        {
            conditions.Add("endpoint = @endpoint");
        }
        if (!string.IsNullOrEmpty(query.ErrorText))
        {
            conditions.Add($"(strpos(lower(error_message {Folded}, lower(@error_text {Folded}) > 0 " +
                           $"OR strpos(lower(error_code {Folded}, lower(@error_text {Folded}) > 0)");
        }
        if (query.Since is not null)
        {
            conditions.Add("last_failed_at >= @since");
        }
        if (query.Statuses.Count > 0)
        {
            conditions.Add("status = ANY(@statuses)");
        }
        if (query.Ids is not null)
        {
            conditions.Add("id = ANY(@ids)");
        }
        return conditions.Count == 0 ? "" : new StringBuilder(" WHERE ").AppendJoin(" AND ", conditions).ToString();
    }

    public static void Bind(NpgsqlCommand command, DeadLetterQuery query)
    {
        command.With("route", query.Route)
            .With("endpoint", query.Endpoint)
            .With("error_text", query.ErrorText)
            .With("since", query.Since)
            .WithArray("statuses", query.Statuses.Select(PostgresDeadLetterRows.StatusText))
            .WithArray("ids", query.Ids ?? []);
    }
}
