#!/usr/bin/env bash
# Regenerates the EF Core migrations for both providers after a model change.
#   scripts/migrations.sh NAME     adds migration NAME to both sets
#   scripts/migrations.sh --reset  deletes both sets and recreates "Initial" (only before the first release)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
name="${1:?usage: scripts/migrations.sh NAME | --reset}"
if [ "$name" = "--reset" ]; then
  rm -rf src/Purr/Data/Migrations
  name=Initial
fi
dotnet build src/Purr -v q -nologo >/dev/null
dotnet ef migrations add "$name" --project src/Purr --context SqlitePurrDbContext --output-dir Data/Migrations/Sqlite --no-build
dotnet ef migrations add "$name" --project src/Purr --context PostgresPurrDbContext --output-dir Data/Migrations/Postgres --no-build
dotnet build src/Purr -v q -nologo >/dev/null
echo "migrations '$name' added for SQLite and PostgreSQL"
