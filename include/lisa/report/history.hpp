// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
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
    /// Each area's score at that run (area id → 0–100; areas with no score left out), read from
    /// the stored report's `score.areas`: the per-area lines of the trend chart.
    std::map<std::string, double> area_scores;
    std::string rule_pack_sha256;
    std::string inventory_sha256;
};

/// How a SQLite history file is opened (PostgreSQL ignores it: the server holds the database).
enum class HistoryAccess {
    /// Read and write; the file is created (0600) with its schema, but its directory must exist:
    /// `--history /nonexistent/dir/h.db` and `$LISA_HISTORY` are refused, never created.
    Write,
    /// As Write, and the missing directories are created (0700): only for the default location
    /// (`$XDG_DATA_HOME/lisa/`, `~/.local/share/lisa/`), which nobody typed.
    WriteCreatingDirectories,
    /// Read only what exists (`lisa report`, `diff`, `history`): a missing file is an error and
    /// nothing is created.
    ReadExisting,
};

/**
 * The scan history, behind one interface with two drivers: SQLite (the default, a file; schema
 * versioned with PRAGMA user_version) and PostgreSQL (`postgresql://` URLs, libpq; the same
 * tables, versioned in a `lisa_schema` table). Every write is one transaction. The whole JSON
 * report is stored, so any run can be rendered again. Callers use only this interface.
 */
class HistoryStore {
public:
    /**
     * Opens `location`: a `postgresql://` or `postgres://` URL (see open_postgresql_history), else
     * a SQLite file path, created (mode 0600) with its schema if needed. Errors are expected: bad path,
     * unreachable server, newer schema, a URL carrying a password.
     */
    [[nodiscard]] static Result<std::unique_ptr<HistoryStore>> open(const std::string& location,
                                                                   HistoryAccess access = HistoryAccess::Write);
    HistoryStore() = default;
    virtual ~HistoryStore() = default;
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    /// Stores a canonical JSON report; returns the run id.
    [[nodiscard]] virtual Result<std::int64_t> add(const std::string& report_json) = 0;
    /// Runs, oldest first; only those of `organization` when given.
    [[nodiscard]] virtual Result<std::vector<HistoryRun>> runs(const std::string& organization = {}) const = 0;
    /// The stored JSON of a run.
    [[nodiscard]] virtual Result<std::string> report(std::int64_t id) const = 0;

    /// The schema both drivers create and migrate to (tables `runs` and `findings`).
    static constexpr int kSchemaVersion = 1;
};

/// Each area's score from a stored report's `score.areas` JSON array ([{id, score}…]); areas
/// whose score is null are left out, and text that is not such an array gives an empty map.
[[nodiscard]] std::map<std::string, double> area_scores_of(const std::string& areas_json);

/// True for `postgresql://…` and `postgres://…` (the URI forms libpq accepts).
[[nodiscard]] bool is_postgresql_url(const std::string& location);

/// Why `url` may not be used, checked without connecting (unparsable, or carrying a password);
/// none when it is acceptable. The message repeats no part of the URL.
[[nodiscard]] std::optional<std::string> postgresql_url_problem(const std::string& url);

/// The SQLite driver: a file, created with its schema if needed (and its directories only with
/// HistoryAccess::WriteCreatingDirectories). Errors name the path and the reason.
[[nodiscard]] Result<std::unique_ptr<HistoryStore>> open_sqlite_history(const std::string& path,
                                                                        HistoryAccess access = HistoryAccess::Write);

/**
 * The PostgreSQL driver (libpq). A URL carrying a password (`user:pw@`, `?password=`) is refused
 * with an error that names no part of it: the password comes from PGPASSWORD, PGPASSFILE
 * (~/.pgpass) or a service file (PGSERVICEFILE) only. Connecting is bounded by connect_timeout
 * (10 s unless the URL sets one), every statement by statement_timeout (60 s).
 */
[[nodiscard]] Result<std::unique_ptr<HistoryStore>> open_postgresql_history(const std::string& url);

/// The default database: $LISA_HISTORY, else $XDG_DATA_HOME/lisa/history.db, else
/// ~/.local/share/lisa/history.db.
[[nodiscard]] std::string default_history_path();

/// True when default_history_path() is the built-in location (no $LISA_HISTORY): the only one
/// whose directories lisa creates.
[[nodiscard]] bool history_path_is_builtin();

}  // namespace lisa
