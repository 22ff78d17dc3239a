// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lisa/core/result.hpp"

namespace lisa {

/// One stored scan.
struct HistoryRun {
    std::int64_t id = 0;
    std::string organization;
    std::string as_of;
    std::string started;
    std::string tool_version;
    std::optional<double> score;
    double coverage = 0;
    int pass = 0;
    int fail = 0;
    int error = 0;
    int waived = 0;
    std::string systems;  ///< --system selection, comma separated; empty for all
};

/**
 * The scan history: a SQLite database (schema versioned with PRAGMA user_version). Every write
 * is one transaction. The whole JSON report is stored, so any run can be rendered again.
 */
class HistoryStore {
public:
    /// Opens (creating the file, mode 0600, and the schema if needed). Errors are expected: bad
    /// path, not a database, newer schema.
    [[nodiscard]] static Result<std::unique_ptr<HistoryStore>> open(const std::string& path);
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    /// Stores a canonical JSON report; returns the run id.
    [[nodiscard]] Result<std::int64_t> add(const std::string& report_json);
    /// Runs, oldest first; only those of `organization` when given.
    [[nodiscard]] Result<std::vector<HistoryRun>> runs(const std::string& organization = {}) const;
    /// The stored JSON of a run.
    [[nodiscard]] Result<std::string> report(std::int64_t id) const;

    static constexpr int kSchemaVersion = 1;

private:
    explicit HistoryStore(void* db) : db_(db) {}
    void* db_;  // sqlite3*, kept out of the header
};

/// The default database: $LISA_HISTORY, else $XDG_DATA_HOME/lisa/history.db, else
/// ~/.local/share/lisa/history.db.
[[nodiscard]] std::string default_history_path();

}  // namespace lisa
