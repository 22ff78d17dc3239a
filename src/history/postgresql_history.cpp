// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL driver of HistoryStore: the same tables and version as the SQLite driver.
#include <nlohmann/json.hpp>

#include "lisa/report/history.hpp"
#include "pg.hpp"
#include "schema_pg.hpp"

namespace lisa {
namespace pg {

namespace {
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  id BIGSERIAL PRIMARY KEY,
  organization TEXT NOT NULL,
  municipality_code TEXT,
  as_of TEXT NOT NULL,
  started TEXT NOT NULL,
  finished TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  rule_pack_sha256 TEXT,
  inventory_sha256 TEXT,
  systems TEXT NOT NULL DEFAULT '',
  score DOUBLE PRECISION,
  coverage DOUBLE PRECISION,
  pass INTEGER, fail INTEGER, error INTEGER, waived INTEGER, not_applicable INTEGER,
  report_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL,
  severity TEXT NOT NULL,
  area TEXT NOT NULL,
  message TEXT
);
CREATE INDEX IF NOT EXISTS findings_run ON findings(run_id);
CREATE INDEX IF NOT EXISTS runs_org ON runs(organization, id);
CREATE TABLE IF NOT EXISTS municipality_keys (
  municipality_code TEXT PRIMARY KEY CHECK (municipality_code ~ '^[0-9]{4}$'),
  public_key_pem TEXT NOT NULL,
  added TIMESTAMPTZ NOT NULL DEFAULT now(),
  added_by TEXT NOT NULL DEFAULT current_user
);
CREATE TABLE IF NOT EXISTS profiles (
  id BIGSERIAL PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  municipality_code TEXT NOT NULL,
  organization TEXT NOT NULL,
  as_of DATE NOT NULL,
  finished TEXT NOT NULL,
  complete BOOLEAN NOT NULL,
  full_scope BOOLEAN NOT NULL,
  profile_json TEXT NOT NULL,
  signature TEXT NOT NULL,
  pushed TIMESTAMPTZ NOT NULL DEFAULT now(),
  pushed_by TEXT NOT NULL DEFAULT current_user
);
CREATE INDEX IF NOT EXISTS profiles_latest ON profiles(municipality_code, as_of, finished);
)sql";
}  // namespace

Result<bool> ensure_schema(Connection& db) {
    auto exists = db.exec("history: cannot read the schema version", "SELECT to_regclass('lisa_schema') IS NOT NULL");
    if (!exists) {
        return exists.error();
    }
    int v = 0;
    if (exists.value().text(0, 0) == "t") {
        auto version = db.exec("history: cannot read the schema version", "SELECT COALESCE(max(version), 0) FROM lisa_schema");
        if (!version) {
            return version.error();
        }
        v = std::stoi(version.value().text(0, 0));
    }
    if (v > HistoryStore::kSchemaVersion) {
        return Error{"history: the database has schema version " + std::to_string(v) +
                     ", newer than this lisa understands (" + std::to_string(HistoryStore::kSchemaVersion) + ")"};
    }
    if (v == HistoryStore::kSchemaVersion) {
        return true;
    }
    // Migrations run in one transaction; concurrent first users wait on the lock and then see
    // the version the first one wrote.
    if (auto ok = db.run("history: cannot create the schema",
                         "BEGIN; SELECT pg_advisory_xact_lock(7417001);"
                         "CREATE TABLE IF NOT EXISTS lisa_schema (version INTEGER NOT NULL);");
        !ok) {
        (void)db.run("rollback", "ROLLBACK");
        return ok.error();
    }
    auto again = db.exec("history: cannot read the schema version", "SELECT COALESCE(max(version), 0) FROM lisa_schema");
    if (!again) {
        (void)db.run("rollback", "ROLLBACK");
        return again.error();
    }
    if (std::stoi(again.value().text(0, 0)) < HistoryStore::kSchemaVersion) {
        auto ok = db.run("history: cannot create the schema", kSchema);
        auto mark = ok ? db.exec("history: cannot record the schema version", "INSERT INTO lisa_schema VALUES ($1)",
                                 {std::to_string(HistoryStore::kSchemaVersion)})
                       : Result<Rows>(ok.error());
        if (!mark) {
            (void)db.run("rollback", "ROLLBACK");
            return mark.error();
        }
    }
    if (auto ok = db.run("history: cannot commit the schema", "COMMIT"); !ok) {
        (void)db.run("rollback", "ROLLBACK");
        return ok.error();
    }
    return true;
}

}  // namespace pg

namespace {

class PostgresHistoryStore final : public HistoryStore {
public:
    explicit PostgresHistoryStore(std::unique_ptr<pg::Connection> db) : db_(std::move(db)) {}
    [[nodiscard]] Result<std::int64_t> add(const std::string& report_json) override;
    [[nodiscard]] Result<std::vector<HistoryRun>> runs(const std::string& organization) const override;
    [[nodiscard]] Result<std::string> report(std::int64_t id) const override;

private:
    std::unique_ptr<pg::Connection> db_;
};

Result<std::int64_t> PostgresHistoryStore::add(const std::string& report_json) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(report_json);
    } catch (const nlohmann::json::exception& e) {
        return Error{std::string("history: not a lisa JSON report: ") + e.what()};
    }
    auto str = [](const nlohmann::json& j, const char* key) -> pg::Param {
        return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
    };
    std::vector<pg::Param> row;
    std::vector<std::vector<pg::Param>> findings;
    try {
        const auto& run = doc.at("run");
        const auto& score = doc.at("score");
        const auto& counts = score.at("findings_by_status");
        std::string systems;
        for (const auto& s : run.at("systems")) {
            systems += (systems.empty() ? "" : ",") + s.get<std::string>();
        }
        row = {str(doc.at("organization"), "name"), str(doc.at("organization"), "municipality_code"),
               str(run, "as_of"), str(run, "started"), str(run, "finished"), str(doc.at("tool"), "version"),
               str(run, "rule_pack_sha256"), str(run, "inventory_sha256"), systems,
               score.at("overall").is_number() ? pg::Param(score["overall"].dump()) : std::nullopt,
               score.at("coverage").dump()};
        for (const char* key : {"pass", "fail", "error", "waived", "not_applicable"}) {
            row.emplace_back(std::to_string(counts.at(key).get<int>()));
        }
        row.emplace_back(report_json);
        for (const auto& f : doc.at("findings")) {
            findings.push_back({str(f, "rule"), str(f, "subject"), str(f, "status"), str(f, "severity"),
                                str(f, "area"), str(f, "message")});
        }
    } catch (const nlohmann::json::exception& e) {
        return Error{std::string("history: report lacks a field: ") + e.what()};
    }
    if (auto ok = db_->run("history: cannot start a transaction", "BEGIN"); !ok) {
        return ok.error();
    }
    auto rollback = [&](const Error& e) -> Result<std::int64_t> {
        (void)db_->run("rollback", "ROLLBACK");
        return e;
    };
    auto inserted = db_->exec("history: cannot store the run",
                              "INSERT INTO runs (organization, municipality_code, as_of, started, finished, "
                              "tool_version, rule_pack_sha256, inventory_sha256, systems, score, coverage, pass, "
                              "fail, error, waived, not_applicable, report_json) VALUES "
                              "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) RETURNING id",
                              row);
    if (!inserted) {
        return rollback(inserted.error());
    }
    const std::string id = inserted.value().text(0, 0);
    for (auto& f : findings) {
        f.insert(f.begin(), id);
        auto ok = db_->exec("history: cannot store a finding",
                            "INSERT INTO findings (run_id, rule, subject, status, severity, area, message) "
                            "VALUES ($1,$2,$3,$4,$5,$6,$7)",
                            f);
        if (!ok) {
            return rollback(ok.error());
        }
    }
    if (auto ok = db_->run("history: cannot commit", "COMMIT"); !ok) {
        return rollback(ok.error());
    }
    return static_cast<std::int64_t>(std::stoll(id));
}

Result<std::vector<HistoryRun>> PostgresHistoryStore::runs(const std::string& organization) const {
    const std::string columns =
        "SELECT id, organization, as_of, started, tool_version, score, coverage, pass, fail, error, waived, "
        "systems, (report_json::json -> 'score' -> 'areas')::text, rule_pack_sha256, inventory_sha256 FROM runs ";
    auto rows = organization.empty()
                    ? db_->exec("history: cannot list runs", columns + "ORDER BY id")
                    : db_->exec("history: cannot list runs", columns + "WHERE organization = $1 ORDER BY id",
                                {organization});
    if (!rows) {
        return rows.error();
    }
    std::vector<HistoryRun> out;
    const auto& r = rows.value();
    for (int i = 0; i < r.size(); ++i) {
        HistoryRun run;
        run.id = std::stoll(r.text(i, 0));
        run.organization = r.text(i, 1);
        run.as_of = r.text(i, 2);
        run.started = r.text(i, 3);
        run.tool_version = r.text(i, 4);
        if (!r.null(i, 5)) {
            run.score = std::stod(r.text(i, 5));
        }
        run.coverage = r.null(i, 6) ? 0 : std::stod(r.text(i, 6));
        run.pass = std::stoi(r.text(i, 7));
        run.fail = std::stoi(r.text(i, 8));
        run.error = std::stoi(r.text(i, 9));
        run.waived = std::stoi(r.text(i, 10));
        run.systems = r.text(i, 11);
        run.area_scores = area_scores_of(r.null(i, 12) ? std::string() : r.text(i, 12));
        run.rule_pack_sha256 = r.null(i, 13) ? std::string() : r.text(i, 13);
        run.inventory_sha256 = r.null(i, 14) ? std::string() : r.text(i, 14);
        out.push_back(std::move(run));
    }
    return out;
}

Result<std::string> PostgresHistoryStore::report(std::int64_t id) const {
    auto rows = db_->exec("history: cannot read run", "SELECT report_json FROM runs WHERE id = $1", {std::to_string(id)});
    if (!rows) {
        return rows.error();
    }
    if (rows.value().size() == 0) {
        return Error{"history: no run " + std::to_string(id)};
    }
    return rows.value().text(0, 0);
}

}  // namespace

bool is_postgresql_url(const std::string& location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<HistoryStore>> open_postgresql_history(const std::string& url) {
    auto db = pg::Connection::open(url);
    if (!db) {
        return Error{"history: " + db.error().message};
    }
    if (auto ok = pg::ensure_schema(*db.value()); !ok) {
        return ok.error();
    }
    return std::unique_ptr<HistoryStore>(new PostgresHistoryStore(std::move(db).value()));
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const std::string& location, HistoryAccess access) {
    return is_postgresql_url(location) ? open_postgresql_history(location) : open_sqlite_history(location, access);
}

}  // namespace lisa
