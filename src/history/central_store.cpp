// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/central_store.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "lisa/report/central.hpp"
#include "lisa/report/signature.hpp"
#include "pg.hpp"
#include "schema_pg.hpp"

namespace lisa {
namespace {

using Json = nlohmann::json;

std::string sha256_hex(const std::string& data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    std::ostringstream out;
    for (unsigned int i = 0; i < len; ++i) {
        out << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(md[i]);
    }
    return out.str();
}

// A privilege error names the role that has the privilege.
Error with_role_hint(const pg::Connection& db, Error e, const char* role) {
    if (db.last_sqlstate() == "42501") {
        e.message += " (this needs the PostgreSQL role " + std::string(role) + ")";
    }
    return e;
}

constexpr const char* kRoles = R"sql(
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lisa_pusher') THEN CREATE ROLE lisa_pusher NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lisa_key_admin') THEN CREATE ROLE lisa_key_admin NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lisa_reader') THEN CREATE ROLE lisa_reader NOLOGIN; END IF;
END $$;
REVOKE ALL ON municipality_keys, profiles, runs, findings, lisa_schema FROM PUBLIC;
GRANT SELECT ON lisa_schema TO lisa_pusher, lisa_key_admin, lisa_reader;
GRANT SELECT (municipality_code, public_key_pem) ON municipality_keys TO lisa_pusher;
GRANT INSERT ON profiles TO lisa_pusher;
GRANT SELECT (sha256) ON profiles TO lisa_pusher;
GRANT USAGE ON SEQUENCE profiles_id_seq TO lisa_pusher;
GRANT SELECT, INSERT, UPDATE, DELETE ON municipality_keys TO lisa_key_admin;
GRANT SELECT ON municipality_keys, profiles, runs, findings TO lisa_reader;
)sql";

}  // namespace

std::optional<int> survey_percent(std::int64_t count, std::int64_t n) {
    if (n <= 0) {
        return std::nullopt;
    }
    return static_cast<int>((200 * count + n) / (2 * n));  // floor(100 c / n + 1/2), exact in integers
}

CentralStore::CentralStore(std::unique_ptr<pg::Connection> db) : db_(std::move(db)) {}
CentralStore::~CentralStore() = default;

Result<std::unique_ptr<CentralStore>> CentralStore::open(const std::string& url) {
    auto db = pg::Connection::open(url);
    if (!db) {
        return Error{"central store: " + db.error().message};
    }
    return std::unique_ptr<CentralStore>(new CentralStore(std::move(db).value()));
}

Result<bool> CentralStore::init() {
    if (auto ok = pg::ensure_schema(*db_); !ok) {
        return ok.error();
    }
    if (auto ok = db_->run("central store: cannot create the roles", kRoles); !ok) {
        return ok.error();
    }
    return true;
}

Result<bool> CentralStore::add_key(const std::string& code, const std::string& pem, bool replace) {
    if (code.size() != 4 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return Error{"--municipality-code must be the four-digit kommunkod, not '" + code + "'"};
    }
    // A key that cannot verify anything is refused here, not at the first push.
    if (auto probe = verify_detached("", "AAAA", pem); !probe) {
        return Error{"not a PEM public key (Ed25519 or ECDSA P-256 expected)"};
    }
    const std::string sql = replace ? "INSERT INTO municipality_keys (municipality_code, public_key_pem) VALUES ($1, $2) "
                                      "ON CONFLICT (municipality_code) DO UPDATE SET public_key_pem = EXCLUDED.public_key_pem, "
                                      "added = now(), added_by = current_user"
                                    : "INSERT INTO municipality_keys (municipality_code, public_key_pem) VALUES ($1, $2)";
    auto rows = db_->exec("central store: cannot add the key", sql, {code, pem});
    if (!rows) {
        if (db_->last_sqlstate() == "23505") {
            return Error{"municipality " + code + " already has a registered key; --replace replaces it"};
        }
        return with_role_hint(*db_, rows.error(), "lisa_key_admin");
    }
    return true;
}

Result<PushOutcome> CentralStore::push(const std::string& profile, const std::string& signature_b64) {
    PushOutcome out;
    out.sha256 = sha256_hex(profile);
    auto info = read_central_profile(profile);
    if (!info) {
        out.message = info.error().message;
        return out;
    }
    out.municipality_code = info.value().municipality_code;
    auto key = db_->exec("central store: cannot read the registered key",
                         "SELECT public_key_pem FROM municipality_keys WHERE municipality_code = $1",
                         {out.municipality_code});
    if (!key) {
        return with_role_hint(*db_, key.error(), "lisa_pusher");
    }
    if (key.value().size() == 0) {
        out.message = "no public key is registered for municipality " + out.municipality_code +
                      "; the key administrator registers it with: lisa keys add --municipality-code " +
                      out.municipality_code + " PUB.pem --to URL";
        return out;
    }
    auto verified = verify_detached(profile, signature_b64, key.value().text(0, 0));
    if (!verified) {
        return Error{"central store: the registered key of municipality " + out.municipality_code +
                     " is unusable: " + verified.error().message};
    }
    if (!verified.value()) {
        out.message = "the signature does not verify against the key registered for municipality " +
                      out.municipality_code + ": the profile was changed after signing, or it was signed "
                      "with another municipality's key";
        return out;
    }
    const auto& i = info.value();
    auto rows = db_->exec("central store: cannot store the profile",
                          "INSERT INTO profiles (sha256, municipality_code, organization, as_of, finished, complete, "
                          "full_scope, profile_json, signature) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) "
                          "ON CONFLICT (sha256) DO NOTHING",
                          {out.sha256, i.municipality_code, i.organization, i.as_of, i.finished,
                           std::string(i.complete ? "true" : "false"), std::string(i.full_scope ? "true" : "false"),
                           profile, signature_b64});
    if (!rows) {
        return with_role_hint(*db_, rows.error(), "lisa_pusher");
    }
    out.status = rows.value().affected() == 1 ? PushOutcome::Status::Stored : PushOutcome::Status::Duplicate;
    out.message = out.status == PushOutcome::Status::Stored
                      ? "stored: profile of municipality " + i.municipality_code + " as of " + i.as_of
                      : "already stored (same SHA-256): profile of municipality " + i.municipality_code + " as of " + i.as_of;
    return out;
}

Result<Aggregate> CentralStore::aggregate(const std::string& as_of, const std::string& since,
                                          const Benchmarks& benchmarks) {
    Aggregate a;
    a.as_of = as_of;
    a.not_reported_since = since;
    for (const auto& g : benchmarks.groups) {
        if (g.year == 2023) {
            a.groups.push_back(g);
        }
    }
    auto keys = db_->exec("central store: cannot read the keys",
                          "SELECT municipality_code, public_key_pem FROM municipality_keys ORDER BY municipality_code");
    if (!keys) {
        return with_role_hint(*db_, keys.error(), "lisa_reader");
    }
    std::map<std::string, std::string> key_of;
    for (int r = 0; r < keys.value().size(); ++r) {
        key_of[keys.value().text(r, 0)] = keys.value().text(r, 1);
    }
    a.municipalities_with_keys = static_cast<std::int64_t>(key_of.size());
    // Candidates without their JSON (bounded memory): newest first per municipality.
    auto candidates = db_->exec("central store: cannot list profiles",
                                "SELECT id, municipality_code FROM profiles WHERE as_of <= $1::date AND full_scope "
                                "ORDER BY municipality_code, as_of DESC, finished DESC, id DESC",
                                {as_of});
    if (!candidates) {
        return with_role_hint(*db_, candidates.error(), "lisa_reader");
    }
    std::map<std::pair<std::string, std::string>, QuestionAggregate> questions;
    std::set<std::string> done;
    const auto& c = candidates.value();
    for (int r = 0; r < c.size(); ++r) {
        const std::string code = c.text(r, 1);
        if (done.count(code) != 0 || key_of.count(code) == 0) {
            continue;
        }
        auto row = db_->exec("central store: cannot read a profile",
                             "SELECT profile_json, signature FROM profiles WHERE id = $1", {c.text(r, 0)});
        if (!row || row.value().size() == 0) {
            return row ? Error{"central store: a profile vanished while aggregating"} : row.error();
        }
        const std::string text = row.value().text(0, 0);
        auto ok = verify_detached(text, row.value().text(0, 1), key_of[code]);
        if (!ok || !ok.value()) {
            ++a.unverified_skipped;  // inserted around `lisa push`, or the key was replaced since
            continue;
        }
        done.insert(code);
        Json doc;
        try {
            doc = Json::parse(text);
        } catch (const Json::exception&) {
            ++a.unverified_skipped;
            continue;
        }
        if (!doc["run"].value("complete", false)) {
            ++a.incomplete_scans;
            continue;
        }
        ++a.municipalities_counted;
        const auto population = doc["organization"].value("population", std::int64_t{-1});
        const SizeGroup* group = population >= 0 ? benchmarks.group_of(2023, population) : nullptr;
        const std::string group_id = group != nullptr ? group->id : "unknown";
        ++a.municipalities_by_group[group_id];
        for (const auto& ind : doc.value("indicators", Json::array())) {
            const std::string id = ind.value("id", "");
            const std::string scope = ind["scope"].is_string() ? ind["scope"].get<std::string>() : "";
            auto& q = questions[{id, scope}];
            q.id = id;
            q.scope = scope;
            auto& g = q.by_group[group_id];
            if (!ind["answer"].is_string()) {
                ++q.national.not_evidenced;
                ++g.not_evidenced;
                continue;
            }
            const std::string answer = ind["answer"].get<std::string>();
            const auto& prov = ind.value("by_provenance", Json::object());
            std::int64_t AnswerCounts::*kind = prov.value("probed", 0) > 0     ? &AnswerCounts::probed
                                               : prov.value("document", 0) > 0 ? &AnswerCounts::document
                                                                               : &AnswerCounts::declared;
            for (AnswerCounts* counts : {&q.national, &g}) {
                ++counts->counts[answer];
                ++counts->n;
                ++(counts->*kind);
            }
        }
    }
    for (auto& [key, q] : questions) {
        const auto it = benchmarks.indicators.find(q.id);
        if (it != benchmarks.indicators.end()) {
            q.answers = it->second.answers;
        }
        for (const auto& [answer, n] : q.national.counts) {
            if (std::find(q.answers.begin(), q.answers.end(), answer) == q.answers.end()) {
                q.answers.push_back(answer);
            }
        }
        q.national_figure = benchmarks.latest_national(q.id, q.scope);
        if (it != benchmarks.indicators.end()) {
            for (const auto& f : it->second.size_groups) {
                if (f.year == 2023 && f.scope == q.scope) {
                    q.group_figures[f.group] = &f;
                }
            }
        }
        a.questions.push_back(std::move(q));
    }
    // Registered municipalities without any profile since the date (up to --as-of).
    auto last = db_->exec("central store: cannot list the latest reports",
                          "SELECT k.municipality_code, max(p.as_of)::text FROM municipality_keys k LEFT JOIN profiles p "
                          "ON p.municipality_code = k.municipality_code AND p.as_of <= $1::date "
                          "GROUP BY k.municipality_code ORDER BY k.municipality_code",
                          {as_of});
    if (!last) {
        return with_role_hint(*db_, last.error(), "lisa_reader");
    }
    for (int r = 0; r < last.value().size(); ++r) {
        const bool never = last.value().null(r, 1);
        if (never || last.value().text(r, 1) < since) {
            a.not_reported.push_back({last.value().text(r, 0),
                                      never ? std::nullopt : std::optional<std::string>(last.value().text(r, 1))});
        }
    }
    return a;
}

// ---------------------------------------------------------------------------------------------

namespace {

// The question's size groups in the source's order (2023 groups first, then any unknown).
std::vector<std::pair<std::string, const AnswerCounts*>> ordered_groups(const Aggregate& a, const QuestionAggregate& q) {
    std::vector<std::pair<std::string, const AnswerCounts*>> out;
    for (const auto& g : a.groups) {
        const auto it = q.by_group.find(g.id);
        if (it != q.by_group.end()) out.emplace_back(g.id, &it->second);
    }
    for (const auto& [id, c] : q.by_group) {
        if (std::none_of(a.groups.begin(), a.groups.end(), [&](const SizeGroup& g) { return g.id == id; })) {
            out.emplace_back(id, &c);
        }
    }
    return out;
}

std::string group_label(const Aggregate& a, const std::string& id) {
    for (const auto& g : a.groups) {
        if (g.id == id) return g.label;
    }
    return id;
}

std::optional<double> figure_value(const Figure* f, const std::string& answer) {
    if (f == nullptr) return std::nullopt;
    for (const auto& [k, v] : f->distribution) {
        if (k == answer) return v;
    }
    return std::nullopt;
}

std::string pct(std::optional<int> p) { return p ? std::to_string(*p) + " %" : "–"; }
std::string pct(std::optional<double> p) {
    if (!p) return "–";
    std::ostringstream o;
    o << *p << " %";
    return o.str();
}

Json counts_json(const AnswerCounts& c, const std::vector<std::string>& answers, const Figure* figure) {
    Json j;
    j["n"] = c.n;
    j["not_evidenced"] = c.not_evidenced;
    j["by_provenance"] = {{"probed", c.probed}, {"document", c.document}, {"declared", c.declared}};
    j["counts"] = Json::object();
    j["percent"] = Json::object();
    for (const auto& ans : answers) {
        const auto it = c.counts.find(ans);
        const std::int64_t k = it == c.counts.end() ? 0 : it->second;
        j["counts"][ans] = k;
        const auto p = survey_percent(k, c.n);
        j["percent"][ans] = p ? Json(*p) : Json(nullptr);
    }
    if (figure != nullptr) {
        Json s;
        s["year"] = figure->year;
        s["n"] = figure->n ? Json(*figure->n) : Json(nullptr);
        s["source"] = figure->source;
        s["distribution"] = Json::object();
        for (const auto& [k, v] : figure->distribution) s["distribution"][k] = v;
        j["socialstyrelsen"] = std::move(s);
    } else {
        j["socialstyrelsen"] = nullptr;
    }
    return j;
}

std::string csv_field(const std::string& s) {
    std::string v = s;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string out = "\"";
    for (char ch : v) {
        out += ch;
        if (ch == '"') out += '"';
    }
    return out + "\"";
}

}  // namespace

void write_aggregate_json(const Aggregate& a, std::ostream& out) {
    Json j;
    j["as_of"] = a.as_of;
    j["not_reported_since"] = a.not_reported_since;
    j["municipalities"] = {{"with_keys", a.municipalities_with_keys},
                           {"counted", a.municipalities_counted},
                           {"incomplete_scans", a.incomplete_scans},
                           {"unverified_skipped", a.unverified_skipped}};
    j["municipalities"]["by_size_group"] = Json::object();
    for (const auto& [g, n] : a.municipalities_by_group) j["municipalities"]["by_size_group"][g] = n;
    j["questions"] = Json::array();
    for (const auto& q : a.questions) {
        Json qj;
        qj["id"] = q.id;
        qj["scope"] = q.scope.empty() ? Json(nullptr) : Json(q.scope);
        qj["answers"] = q.answers;
        qj["national"] = counts_json(q.national, q.answers, q.national_figure);
        qj["size_groups"] = Json::object();
        for (const auto& [g, c] : q.by_group) {
            const auto f = q.group_figures.find(g);
            qj["size_groups"][g] = counts_json(c, q.answers, f == q.group_figures.end() ? nullptr : f->second);
        }
        j["questions"].push_back(std::move(qj));
    }
    j["not_reported"] = Json::array();
    for (const auto& m : a.not_reported) {
        j["not_reported"].push_back({{"municipality_code", m.municipality_code},
                                     {"last_as_of", m.last_as_of ? Json(*m.last_as_of) : Json(nullptr)}});
    }
    out << j.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

void write_aggregate_csv(const Aggregate& a, std::ostream& out) {
    out << "question,scope,population,answer,count,n,percent,socialstyrelsen_percent,socialstyrelsen_n,"
           "socialstyrelsen_source\r\n";
    auto rows = [&](const QuestionAggregate& q, const std::string& population, const AnswerCounts& c, const Figure* f) {
        for (const auto& ans : q.answers) {
            const auto it = c.counts.find(ans);
            const std::int64_t k = it == c.counts.end() ? 0 : it->second;
            const auto p = survey_percent(k, c.n);
            const auto s = figure_value(f, ans);
            std::ostringstream sv;
            if (s) sv << *s;
            out << csv_field(q.id) << ',' << csv_field(q.scope) << ',' << csv_field(population) << ','
                << csv_field(ans) << ',' << k << ',' << c.n << ',' << (p ? std::to_string(*p) : "") << ','
                << sv.str() << ',' << (f != nullptr && f->n ? std::to_string(*f->n) : "") << ','
                << csv_field(f != nullptr ? f->source : "") << "\r\n";
        }
    };
    for (const auto& q : a.questions) {
        rows(q, "national", q.national, q.national_figure);
        for (const auto& [g, c] : ordered_groups(a, q)) {
            const auto f = q.group_figures.find(g);
            rows(q, g, *c, f == q.group_figures.end() ? nullptr : f->second);
        }
    }
}

void write_aggregate_text(const Aggregate& a, std::ostream& out) {
    out << "Survey tables rebuilt from the central store, as of " << a.as_of << "\n"
        << "Municipalities: " << a.municipalities_counted << " counted (latest complete, full-scope, verified profile), "
        << a.incomplete_scans << " with an incomplete latest scan (not counted), " << a.municipalities_with_keys
        << " with a registered key; " << a.unverified_skipped << " stored profiles failed verification and were skipped\n";
    for (const auto& q : a.questions) {
        out << "\n" << q.id << (q.scope.empty() ? "" : "  " + q.scope) << "\n";
        out << "  " << std::left << std::setw(28) << "population" << std::setw(6) << "n";
        for (const auto& ans : q.answers) out << std::setw(22) << ans.substr(0, 21);
        out << "probed/document/declared\n";
        auto line = [&](const std::string& name, const AnswerCounts& c, const Figure* f) {
            out << "  " << std::left << std::setw(28) << name << std::setw(6) << c.n;
            for (const auto& ans : q.answers) {
                const auto it = c.counts.find(ans);
                const std::int64_t k = it == c.counts.end() ? 0 : it->second;
                out << std::setw(22) << (pct(survey_percent(k, c.n)) + " (" + std::to_string(k) + ")");
            }
            out << c.probed << "/" << c.document << "/" << c.declared << "\n";
            if (f != nullptr) {
                out << "  " << std::setw(28) << ("  Socialstyrelsen " + std::to_string(f->year)) << std::setw(6)
                    << (f->n ? std::to_string(*f->n) : "–");
                for (const auto& ans : q.answers) out << std::setw(22) << pct(figure_value(f, ans));
                out << f->source << "\n";
            }
        };
        line("national", q.national, q.national_figure);
        for (const auto& [g, c] : ordered_groups(a, q)) {
            const auto f = q.group_figures.find(g);
            line(group_label(a, g), *c, f == q.group_figures.end() ? nullptr : f->second);
        }
        if (q.national.not_evidenced > 0) {
            out << "  not evidenced: " << q.national.not_evidenced << "\n";
        }
    }
    out << "\nNot reported since " << a.not_reported_since << ": " << a.not_reported.size() << "\n";
    for (const auto& m : a.not_reported) {
        out << "  " << m.municipality_code << "  last " << (m.last_as_of ? *m.last_as_of : "never") << "\n";
    }
}

}  // namespace lisa
