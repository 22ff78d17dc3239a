// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/history.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <nlohmann/json.hpp>

namespace lisa {
namespace {

sqlite3* db_of(void* p) { return static_cast<sqlite3*>(p); }

// A prepared statement, finalized on scope exit.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    [[nodiscard]] bool ok() const noexcept { return rc_ == SQLITE_OK; }
    sqlite3_stmt* get() noexcept { return stmt_; }

private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_ERROR;
};

Error sql_error(sqlite3* db, const std::string& what) {
    return Error{"history: " + what + ": " + sqlite3_errmsg(db)};
}

bool exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

std::string text_column(sqlite3_stmt* stmt, int column) {
    const unsigned char* t = sqlite3_column_text(stmt, column);
    return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
}

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organization TEXT NOT NULL,
  municipality_code TEXT,
  as_of TEXT NOT NULL,
  started TEXT NOT NULL,
  finished TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  rule_pack_sha256 TEXT,
  inventory_sha256 TEXT,
  systems TEXT NOT NULL DEFAULT '',
  score REAL,
  coverage REAL,
  pass INTEGER, fail INTEGER, error INTEGER, waived INTEGER, not_applicable INTEGER,
  report_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL,
  severity TEXT NOT NULL,
  area TEXT NOT NULL,
  message TEXT
);
CREATE INDEX IF NOT EXISTS findings_run ON findings(run_id);
CREATE INDEX IF NOT EXISTS runs_org ON runs(organization, id);
)sql";

// The SQLite driver of HistoryStore (history.hpp).
class SqliteHistoryStore final : public HistoryStore {
public:
    explicit SqliteHistoryStore(void* db) : db_(db) {}
    ~SqliteHistoryStore() override;
    [[nodiscard]] Result<std::int64_t> add(const std::string& report_json) override;
    [[nodiscard]] Result<std::vector<HistoryRun>> runs(const std::string& organization) const override;
    [[nodiscard]] Result<std::string> report(std::int64_t id) const override;

private:
    void* db_;  // sqlite3*
};

}  // namespace

std::map<std::string, double> area_scores_of(const std::string& areas_json) {
    std::map<std::string, double> out;
    if (areas_json.empty()) {
        return out;
    }
    try {
        const auto areas = nlohmann::json::parse(areas_json);
        for (const auto& a : areas) {
            if (a.is_object() && a.contains("id") && a["id"].is_string() && a.contains("score") &&
                a["score"].is_number()) {
                out[a["id"].get<std::string>()] = a["score"].get<double>();
            }
        }
    } catch (const nlohmann::json::exception&) {
        out.clear();  // a damaged row: the trend shows its overall score only
    }
    return out;
}

std::string default_history_path() {
    if (const char* env = std::getenv("LISA_HISTORY"); env != nullptr && *env != '\0') {
        return env;
    }
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
        return std::string(xdg) + "/lisa/history.db";
    }
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : ".") + "/.local/share/lisa/history.db";
}

bool history_path_is_builtin() {
    const char* env = std::getenv("LISA_HISTORY");
    return env == nullptr || *env == '\0';
}

Result<std::unique_ptr<HistoryStore>> open_sqlite_history(const std::string& path, HistoryAccess access) {
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (access == HistoryAccess::ReadExisting) {
        if (!std::filesystem::is_regular_file(path, ec)) {
            return Error{"history: " + path + " does not exist (a scan creates it; --history names another)"};
        }
    } else if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
        if (access != HistoryAccess::WriteCreatingDirectories) {
            // A typo in --history or $LISA_HISTORY must not leave a tree of directories behind.
            return Error{"history: cannot create " + path + ": directory " + parent.string() +
                         " does not exist (create it, or name another --history)"};
        }
        std::filesystem::create_directories(parent, ec);
        if (ec) {
            return Error{"history: cannot create directory " + parent.string() + ": " + ec.message()};
        }
        std::filesystem::permissions(parent, std::filesystem::perms::owner_all, ec);
    }
    // A new database is created 0600 before SQLite opens it (SQLite would create it 0644, and
    // its journals take the database's mode): the history holds every finding of every audit.
    if (access != HistoryAccess::ReadExisting) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0) {
            ::close(fd);
        } else if (errno != EEXIST) {
            return Error{"history: cannot create " + path + ": " + std::strerror(errno)};
        }
    }
    sqlite3* db = nullptr;
    const int flags = access == HistoryAccess::ReadExisting ? SQLITE_OPEN_READWRITE
                                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        Error e{"history: cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory")};
        sqlite3_close(db);
        return e;
    }
    sqlite3_busy_timeout(db, 5000);
    std::unique_ptr<HistoryStore> store(new SqliteHistoryStore(db));
    Statement version(db, "PRAGMA user_version");
    if (!version.ok() || sqlite3_step(version.get()) != SQLITE_ROW) {
        return sql_error(db, "cannot read the schema version of " + path);
    }
    const int v = sqlite3_column_int(version.get(), 0);
    if (v > HistoryStore::kSchemaVersion) {
        return Error{"history: " + path + " has schema version " + std::to_string(v) +
                     ", newer than this lisa understands (" + std::to_string(HistoryStore::kSchemaVersion) + ")"};
    }
    if (v < HistoryStore::kSchemaVersion) {
        // Migrations run in one transaction; version 0 is an empty or new file.
        if (!exec(db, "BEGIN IMMEDIATE") || !exec(db, kSchema) ||
            !exec(db, ("PRAGMA user_version = " + std::to_string(HistoryStore::kSchemaVersion)).c_str()) ||
            !exec(db, "COMMIT")) {
            Error e = sql_error(db, "cannot create the schema in " + path);
            exec(db, "ROLLBACK");
            return e;
        }
    }
    exec(db, "PRAGMA foreign_keys = ON");
    return store;
}

SqliteHistoryStore::~SqliteHistoryStore() { sqlite3_close(db_of(db_)); }

namespace {

/// A string member of a JSON object, or "" when it is missing or not a string.
std::string json_str(const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

/// Inserts the report's row into `runs` inside the open transaction; its id. On an SQLite
/// error the transaction is rolled back; a missing report field throws nlohmann::json::exception.
Result<std::int64_t> insert_run(sqlite3* db, const nlohmann::json& doc, const std::string& report_json) {
    const auto& run = doc.at("run");
    const auto& score = doc.at("score");
    const auto& counts = score.at("findings_by_status");
    std::string systems;
    for (const auto& s : run.at("systems")) {
        systems += (systems.empty() ? "" : ",") + s.get<std::string>();
    }
    Statement insert(db,
                     "INSERT INTO runs (organization, municipality_code, as_of, started, finished, "
                     "tool_version, rule_pack_sha256, inventory_sha256, systems, score, coverage, pass, "
                     "fail, error, waived, not_applicable, report_json) VALUES "
                     "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!insert.ok()) {
        exec(db, "ROLLBACK");
        return sql_error(db, "cannot prepare");
    }
    const std::string values[] = {json_str(doc.at("organization"), "name"),
                                  json_str(doc.at("organization"), "municipality_code"),
                                  json_str(run, "as_of"),
                                  json_str(run, "started"),
                                  json_str(run, "finished"),
                                  json_str(doc.at("tool"), "version"),
                                  json_str(run, "rule_pack_sha256"),
                                  json_str(run, "inventory_sha256"),
                                  systems};
    int col = 1;
    for (const auto& v : values) {
        sqlite3_bind_text(insert.get(), col++, v.c_str(), -1, SQLITE_TRANSIENT);
    }
    if (score.at("overall").is_number()) {
        sqlite3_bind_double(insert.get(), col++, score["overall"].get<double>());
    } else {
        sqlite3_bind_null(insert.get(), col++);
    }
    sqlite3_bind_double(insert.get(), col++, score.at("coverage").get<double>());
    for (const char* key : {"pass", "fail", "error", "waived", "not_applicable"}) {
        sqlite3_bind_int(insert.get(), col++, counts.at(key).get<int>());
    }
    sqlite3_bind_text(insert.get(), col++, report_json.c_str(), static_cast<int>(report_json.size()),
                      SQLITE_TRANSIENT);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) {
        Error e = sql_error(db, "cannot store the run");
        exec(db, "ROLLBACK");
        return e;
    }
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db));
}

/// Inserts the report's findings for run `id` inside the open transaction; on an SQLite error
/// the transaction is rolled back and the error returned.
std::optional<Error> insert_findings(sqlite3* db, const nlohmann::json& doc, std::int64_t id) {
    Statement finding(db, "INSERT INTO findings (run_id, rule, subject, status, severity, area, message) "
                          "VALUES (?,?,?,?,?,?,?)");
    for (const auto& f : doc.at("findings")) {
        sqlite3_reset(finding.get());
        sqlite3_bind_int64(finding.get(), 1, id);
        int c = 2;
        for (const char* key : {"rule", "subject", "status", "severity", "area", "message"}) {
            const std::string v = json_str(f, key);
            sqlite3_bind_text(finding.get(), c++, v.c_str(), -1, SQLITE_TRANSIENT);
        }
        if (sqlite3_step(finding.get()) != SQLITE_DONE) {
            Error e = sql_error(db, "cannot store a finding");
            exec(db, "ROLLBACK");
            return e;
        }
    }
    return std::nullopt;
}

}  // namespace

Result<std::int64_t> SqliteHistoryStore::add(const std::string& report_json) {
    sqlite3* db = db_of(db_);
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(report_json);
    } catch (const nlohmann::json::exception& e) {
        return Error{std::string("history: not a lisa JSON report: ") + e.what()};
    }
    try {
        if (!exec(db, "BEGIN IMMEDIATE")) {
            return sql_error(db, "cannot start a transaction");
        }
        auto id = insert_run(db, doc, report_json);
        if (!id) {
            return id;
        }
        if (auto failed = insert_findings(db, doc, id.value())) {
            return std::move(*failed);
        }
        if (!exec(db, "COMMIT")) {
            Error e = sql_error(db, "cannot commit");
            exec(db, "ROLLBACK");
            return e;
        }
        return id;
    } catch (const nlohmann::json::exception& e) {
        exec(db, "ROLLBACK");
        return Error{std::string("history: report lacks a field: ") + e.what()};
    }
}

Result<std::vector<HistoryRun>> SqliteHistoryStore::runs(const std::string& organization) const {
    sqlite3* db = db_of(db_);
    Statement q(db, organization.empty()
                        ? "SELECT id, organization, as_of, started, tool_version, score, coverage, pass, "
                          "fail, error, waived, systems, json_extract(report_json, '$.score.areas'), "
                          "rule_pack_sha256, inventory_sha256 FROM runs ORDER BY id"
                        : "SELECT id, organization, as_of, started, tool_version, score, coverage, pass, "
                          "fail, error, waived, systems, json_extract(report_json, '$.score.areas'), "
                          "rule_pack_sha256, inventory_sha256 FROM runs WHERE organization = ? ORDER BY id");
    if (!q.ok()) {
        return sql_error(db, "cannot list runs");
    }
    if (!organization.empty()) {
        sqlite3_bind_text(q.get(), 1, organization.c_str(), -1, SQLITE_TRANSIENT);
    }
    std::vector<HistoryRun> out;
    while (sqlite3_step(q.get()) == SQLITE_ROW) {
        HistoryRun r;
        r.id = sqlite3_column_int64(q.get(), 0);
        r.organization = text_column(q.get(), 1);
        r.as_of = text_column(q.get(), 2);
        r.started = text_column(q.get(), 3);
        r.tool_version = text_column(q.get(), 4);
        if (sqlite3_column_type(q.get(), 5) != SQLITE_NULL) {
            r.score = sqlite3_column_double(q.get(), 5);
        }
        r.coverage = sqlite3_column_double(q.get(), 6);
        r.pass = sqlite3_column_int(q.get(), 7);
        r.fail = sqlite3_column_int(q.get(), 8);
        r.error = sqlite3_column_int(q.get(), 9);
        r.waived = sqlite3_column_int(q.get(), 10);
        r.systems = text_column(q.get(), 11);
        r.area_scores = area_scores_of(text_column(q.get(), 12));
        r.rule_pack_sha256 = text_column(q.get(), 13);
        r.inventory_sha256 = text_column(q.get(), 14);
        out.push_back(std::move(r));
    }
    return out;
}

Result<std::string> SqliteHistoryStore::report(std::int64_t id) const {
    sqlite3* db = db_of(db_);
    Statement q(db, "SELECT report_json FROM runs WHERE id = ?");
    if (!q.ok()) {
        return sql_error(db, "cannot read run");
    }
    sqlite3_bind_int64(q.get(), 1, id);
    if (sqlite3_step(q.get()) != SQLITE_ROW) {
        return Error{"history: no run " + std::to_string(id)};
    }
    return text_column(q.get(), 0);
}

}  // namespace lisa
