#pragma once
// How a runner wraps a migration: in its own transaction, in none, or as the file itself says
// with its own BEGIN/COMMIT. Decided from the runners' markers and from the parse tree, never
// from a regular expression over SQL.
#include <optional>
#include <string>
#include <string_view>

#include "migrations/migration.hpp"

namespace schemakit::migrations {

struct TxDecision {
  TxMode mode = TxMode::transaction;
  std::string reason;  // empty for TxMode::transaction
};

// A marker line in a file's text that tells a runner to run it outside a transaction:
// `-- +goose NO TRANSACTION`, `-- atlas:txmode none`, `-- hasura:no-transaction`, or sqlx's
// `-- no-transaction` on the first line. Returns e.g. "-- atlas:txmode none (line 1)".
std::optional<std::string> find_no_transaction_marker(std::string_view file_text);

// The first top-level statement PostgreSQL refuses inside a transaction block, e.g.
// "CREATE INDEX CONCURRENTLY (line 3)"; lines are file lines. The script must parse.
std::optional<std::string> find_non_transactional_statement(const Script& script);

// The script's mode: as_written when it has its own top-level BEGIN (or START TRANSACTION) and
// COMMIT; otherwise none when the runner says so (`runner_says_none` is the reason, e.g.
// "metadata.toml: run_in_transaction = false") or a statement cannot run in a transaction;
// otherwise transaction.
TxDecision decide_tx_mode(const Script& script, const std::optional<std::string>& runner_says_none);

}  // namespace schemakit::migrations
