// SPDX-License-Identifier: Apache-2.0
// Internal: the PostgreSQL schema, migrated to HistoryStore::kSchemaVersion under an advisory lock.
#pragma once

#include "lisa/core/result.hpp"
#include "pg.hpp"

namespace lisa::pg {

/**
 * Creates or migrates the schema in one transaction, serialised across processes by an advisory
 * lock: `runs` and `findings` (the same columns as the SQLite history), `municipality_keys` and
 * `profiles` (the central store), and `lisa_schema` (the version). A newer schema is an error. A
 * role without CREATE privilege may still use a database whose schema is current.
 */
[[nodiscard]] Result<bool> ensure_schema(Connection& db);

}  // namespace lisa::pg
