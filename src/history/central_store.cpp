// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/central_store.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "lisa/core/text.hpp"
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
    } else if (db.last_sqlstate() == "42P01") {  // undefined_table
        e.message += " (the database has no central store yet: its owner creates it with lisa central init --to URL)";
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
REVOKE INSERT ON profiles FROM lisa_pusher;
GRANT INSERT (sha256, municipality_code, organization, as_of, finished, complete, full_scope, profile_json, signature)
  ON profiles TO lisa_pusher;
GRANT SELECT (sha256) ON profiles TO lisa_pusher;
GRANT USAGE ON SEQUENCE profiles_id_seq TO lisa_pusher;
GRANT SELECT, INSERT, UPDATE, DELETE ON municipality_keys TO lisa_key_admin;
GRANT SELECT ON municipality_keys, profiles, runs, findings TO lisa_reader;
)sql";

}  // namespace

std::string question_key(const std::string& id, const std::string& scope) {
    return scope.empty() ? id : id + "|" + scope;
}

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
    // A key that cannot verify anything, a key of another type, or a file that also holds a
    // private key is refused here, not at the first push; only the key re-encoded is stored.
    auto key = PublicKey::from_pem(pem);
    if (!key) {
        return Error{key.error().message + " (Ed25519 or ECDSA P-256 expected)"};
    }
    const std::string canonical = key.value().pem();
    const std::string sql = replace ? "INSERT INTO municipality_keys (municipality_code, public_key_pem) VALUES ($1, $2) "
                                      "ON CONFLICT (municipality_code) DO UPDATE SET public_key_pem = EXCLUDED.public_key_pem, "
                                      "added = now(), added_by = current_user"
                                    : "INSERT INTO municipality_keys (municipality_code, public_key_pem) VALUES ($1, $2)";
    auto rows = db_->exec("central store: cannot add the key", sql, {code, canonical});
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

namespace {

using Questions = std::map<std::pair<std::string, std::string>, QuestionAggregate>;

std::string json_string(const Json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// A verified profile's date, completeness, score and answers, for its municipality's trend.
TrendReport trend_report(const Json& doc) {
    const Json run = doc.value("run", Json::object());
    const Json score = doc.value("score", Json::object());
    TrendReport report;
    report.as_of = run.value("as_of", "");
    report.complete = run.value("complete", false);
    if (score.contains("overall") && score["overall"].is_number()) {
        report.score = score["overall"].get<double>();
    }
    for (const auto& ind : doc.value("indicators", Json::array())) {
        report.answers[question_key(ind.value("id", ""), json_string(ind, "scope"))] =
            ind.contains("answer") && ind["answer"].is_string() ? std::optional<std::string>(ind["answer"].get<std::string>())
                                                                 : std::nullopt;
    }
    return report;
}

// The size group of the profile's population (2023 groups), "unknown" without one.
std::string size_group_of(const Json& org, const Benchmarks& benchmarks) {
    const auto population = org.contains("population") && org["population"].is_number_integer()
                                ? org["population"].get<std::int64_t>()
                                : std::int64_t{-1};
    const SizeGroup* group = population >= 0 ? benchmarks.group_of(2023, population) : nullptr;
    return group != nullptr ? group->id : "unknown";
}

// A counted municipality's answers, nationally and in its size group, by the evidence they rest on.
void count_answers(const Json& doc, const std::string& group_id, Questions& questions) {
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

// Each question with the survey's alternatives (then any other answer seen) and the published figures.
void add_questions(Questions& questions, const Benchmarks& benchmarks, Aggregate& a) {
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
}

// One municipality's full-scope profiles up to as_of, newest first (rows of profile_json,
// signature): the first that verifies is counted; every one that verifies is in its trend.
MunicipalityTrend add_municipality(const std::string& code, const pg::Rows& c, const Result<PublicKey>& key,
                                   const Benchmarks& benchmarks, Questions& questions, Aggregate& a) {
    MunicipalityTrend trend;
    trend.code = code;
    trend.size_group = "unknown";
    for (int r = 0; r < c.size(); ++r) {
        const std::string text = c.text(r, 0);
        auto ok = key ? key.value().verify(text, c.text(r, 1)) : Result<bool>(key.error());
        if (!ok || !ok.value()) {
            ++a.unverified_skipped;  // inserted around `lisa push`, or the key was replaced since
            continue;
        }
        // A stored row is read as push reads a profile: one of another shape (stored before push
        // checked shapes, or inserted around it) is skipped and counted, never a failed aggregate.
        Json doc;
        try {
            if (!read_central_profile(text)) {
                ++a.unverified_skipped;
                continue;
            }
            doc = Json::parse(text);
        } catch (const Json::exception&) {
            ++a.unverified_skipped;
            continue;
        }
        const bool latest = trend.reports.empty();
        trend.reports.push_back(trend_report(doc));
        if (!latest) {
            continue;
        }
        const Json org = doc.value("organization", Json::object());
        const std::string group_id = size_group_of(org, benchmarks);
        trend.name = json_string(org, "name");
        trend.size_group = group_id;
        if (!doc.value("run", Json::object()).value("complete", false)) {
            ++a.incomplete_scans;
            continue;
        }
        ++a.municipalities_counted;
        ++a.municipalities_by_group[group_id];
        count_answers(doc, group_id, questions);
    }
    return trend;
}

}  // namespace

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
    // One municipality at a time (bounded memory).
    Questions questions;
    for (const auto& [code, pem] : key_of) {
        auto rows = db_->exec("central store: cannot read the profiles",
                              "SELECT profile_json, signature FROM profiles WHERE municipality_code = $1 "
                              "AND as_of <= $2::date AND full_scope ORDER BY as_of DESC, finished DESC, id DESC",
                              {code, as_of});
        if (!rows) {
            return with_role_hint(*db_, rows.error(), "lisa_reader");
        }
        const auto key = PublicKey::from_pem(pem);  // decoded once per municipality, not per profile
        a.trends.push_back(add_municipality(code, rows.value(), key, benchmarks, questions, a));
    }
    add_questions(questions, benchmarks, a);
    // Registered municipalities without a verified full-scope profile since the date (up to
    // --as-of): the same profiles that are counted, so a partial scan, a row inserted around
    // `lisa push` or profiles signed by a replaced key never make a municipality look reported.
    for (const MunicipalityTrend& t : a.trends) {
        const bool never = t.reports.empty();
        if (never || t.reports.front().as_of < since) {
            a.not_reported.push_back(
                {t.code, never ? std::nullopt : std::optional<std::string>(t.reports.front().as_of)});
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
    for (const auto& entry : q.by_group) {
        const std::string& id = entry.first;  // a named copy: C++17 lambdas cannot capture bindings
        if (std::none_of(a.groups.begin(), a.groups.end(), [&](const SizeGroup& g) { return g.id == id; })) {
            out.emplace_back(id, &entry.second);
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

// Padded to `width` displayed characters (code points), not bytes: å, ä, ö and – are one column
// each but two or three bytes. Cut to width - 1 characters when longer, so columns stay apart.
std::string pad(const std::string& s, std::size_t width) {
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t start = i;
        (void)decode_utf8(s, i);
        if (chars + 1 >= width && i < s.size()) {
            break;  // keep one column free
        }
        out.append(s, start, i - start);
        ++chars;
    }
    while (chars < width) {
        out += ' ';
        ++chars;
    }
    return out;
}

std::string score_text(const std::optional<double>& score) {
    if (!score) return "–";
    std::ostringstream o;
    o << std::fixed << std::setprecision(1) << *score;
    return o.str();
}

// The question columns of the trend tables: the aggregate's questions, then any other key a
// profile answered (e.g. a question only incomplete scans answer).
std::vector<std::string> trend_columns(const Aggregate& a) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& q : a.questions) {
        if (seen.insert(question_key(q.id, q.scope)).second) out.push_back(question_key(q.id, q.scope));
    }
    std::set<std::string> rest;
    for (const auto& t : a.trends) {
        for (const auto& r : t.reports) {
            for (const auto& [k, v] : r.answers) {
                if (seen.count(k) == 0) rest.insert(k);
            }
        }
    }
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

std::string answer_of(const TrendReport& r, const std::string& key) {
    const auto it = r.answers.find(key);
    return it == r.answers.end() || !it->second ? "" : *it->second;
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
    j["trends"] = Json::array();
    for (const auto& t : a.trends) {
        Json tj;
        tj["code"] = t.code;
        tj["name"] = t.name.empty() ? Json(nullptr) : Json(t.name);
        tj["size_group"] = t.size_group;
        tj["reports"] = Json::array();
        for (const auto& r : t.reports) {
            Json rj;
            rj["as_of"] = r.as_of;
            rj["score"] = r.score ? Json(*r.score) : Json(nullptr);
            rj["complete"] = r.complete;
            rj["answers"] = Json::object();
            for (const auto& [k, v] : r.answers) rj["answers"][k] = v ? Json(*v) : Json(nullptr);
            tj["reports"].push_back(std::move(rj));
        }
        j["trends"].push_back(std::move(tj));
    }
    out << j.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

void write_aggregate_csv(const Aggregate& a, std::ostream& out) {
    out << "question,scope,population,answer,count,n,percent,socialstyrelsen_percent,socialstyrelsen_n,"
           "socialstyrelsen_source,municipality_code,municipality_name,size_group,report_as_of,score,complete\r\n";
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
                << csv_field(f != nullptr ? f->source : "") << ",,,,,,\r\n";
        }
    };
    for (const auto& q : a.questions) {
        rows(q, "national", q.national, q.national_figure);
        for (const auto& [g, c] : ordered_groups(a, q)) {
            const auto f = q.group_figures.find(g);
            rows(q, g, *c, f == q.group_figures.end() ? nullptr : f->second);
        }
    }
    // Each municipality's trend: population "trend", one row per report and question, latest first.
    const auto columns = trend_columns(a);
    for (const auto& t : a.trends) {
        for (const auto& r : t.reports) {
            for (const auto& key : columns) {
                const auto bar = key.find('|');
                out << csv_field(key.substr(0, bar)) << ',' << csv_field(bar == std::string::npos ? "" : key.substr(bar + 1))
                    << ",trend," << csv_field(answer_of(r, key)) << ",,,,,,," << t.code << ',' << csv_field(t.name) << ','
                    << csv_field(t.size_group) << ',' << r.as_of << ',' << (r.score ? score_text(r.score) : "") << ','
                    << (r.complete ? "true" : "false") << "\r\n";
            }
        }
    }
}

void write_aggregate_text(const Aggregate& a, std::ostream& out) {
    out << "Survey tables rebuilt from the central store, as of " << a.as_of << "\n"
        << "Municipalities: " << a.municipalities_counted << " counted (latest complete, full-scope, verified profile), "
        << a.incomplete_scans << " with an incomplete latest scan (not counted), " << a.municipalities_with_keys
        << " with a registered key; " << a.unverified_skipped
        << " stored profiles failed verification or were not of the profile's shape, and were skipped\n";
    for (const auto& q : a.questions) {
        out << "\n" << terminal_line(q.id) << (q.scope.empty() ? "" : "  " + terminal_line(q.scope)) << "\n";
        out << "  " << pad("population", 28) << pad("n", 6);
        for (const auto& ans : q.answers) out << pad(terminal_line(ans), 22);
        out << "probed/document/declared\n";
        auto line = [&](const std::string& name, const AnswerCounts& c, const Figure* f) {
            out << "  " << pad(terminal_line(name), 28) << pad(std::to_string(c.n), 6);
            for (const auto& ans : q.answers) {
                const auto it = c.counts.find(ans);
                const std::int64_t k = it == c.counts.end() ? 0 : it->second;
                out << pad(pct(survey_percent(k, c.n)) + " (" + std::to_string(k) + ")", 22);
            }
            out << c.probed << "/" << c.document << "/" << c.declared << "\n";
            if (f != nullptr) {
                out << "  " << pad("  Socialstyrelsen " + std::to_string(f->year), 28)
                    << pad(f->n ? std::to_string(*f->n) : "–", 6);
                for (const auto& ans : q.answers) out << pad(pct(figure_value(f, ans)), 22);
                out << terminal_line(f->source) << "\n";
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
    // Trends: one line per stored profile, latest first; answers in the numbered questions' order.
    const auto columns = trend_columns(a);
    out << "\nTrend per municipality (full-scope verified profiles up to " << a.as_of << ", latest first)\n";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        out << "  Q" << (i + 1) << " = " << terminal_line(columns[i]) << "\n";
    }
    out << "  " << pad("as of", 12) << pad("score", 7) << pad("complete", 10);
    for (std::size_t i = 0; i < columns.size(); ++i) out << pad("Q" + std::to_string(i + 1), 10);
    out << "\n";
    for (const auto& t : a.trends) {
        out << "  " << t.code << "  " << (t.name.empty() ? "(no profile)" : terminal_line(t.name)) << "  "
            << terminal_line(group_label(a, t.size_group)) << "\n";
        for (const auto& r : t.reports) {
            out << "  " << pad(r.as_of, 12) << pad(score_text(r.score), 7) << pad(r.complete ? "yes" : "no", 10);
            for (const auto& key : columns) {
                const auto it = r.answers.find(key);
                out << pad(it == r.answers.end() ? "" : it->second ? terminal_line(*it->second) : "–", 10);
            }
            out << "\n";
        }
    }
}

namespace {

std::string h(const std::string& s) { return html_escape(s); }

constexpr const char* kAggregateCss = R"css(
body{font-family:system-ui,sans-serif;margin:2em;color:#111;max-width:80em}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}
td.n,td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#eee}
.sos{color:#555}
@media print{body{margin:0}h2{break-before:page}}
)css";

}  // namespace

namespace {

// Overview: one row per question, nationally.
void write_overview_html(const Aggregate& a, std::ostream& out) {
    out << "<h2>Översikt per fråga (riket)</h2>\n<table class=\"overview\">\n<thead><tr><th>Fråga</th><th>Avgränsning</th>"
           "<th>n</th><th>Svar enligt lisa</th><th>Socialstyrelsen</th><th>Prövat</th><th>Dokument</th>"
           "<th>Deklarerat</th><th>Ej belagt</th></tr></thead>\n<tbody>\n";
    for (const auto& q : a.questions) {
        const auto& c = q.national;
        out << "<tr class=\"question\" data-key=\"" << h(question_key(q.id, q.scope)) << "\"><td>" << h(q.id) << "</td><td>"
            << h(q.scope) << "</td><td class=\"n\">" << c.n << "</td><td>";
        bool first = true;
        for (const auto& ans : q.answers) {
            const auto it = c.counts.find(ans);
            const std::int64_t k = it == c.counts.end() ? 0 : it->second;
            out << (first ? "" : "; ") << h(ans) << " " << h(pct(survey_percent(k, c.n))) << " (" << k << ")";
            first = false;
        }
        out << "</td><td class=\"sos\">";
        if (q.national_figure != nullptr) {
            first = true;
            for (const auto& ans : q.answers) {
                out << (first ? "" : "; ") << h(ans) << " " << h(pct(figure_value(q.national_figure, ans)));
                first = false;
            }
            out << " (" << q.national_figure->year;
            if (q.national_figure->n) out << ", n = " << *q.national_figure->n;
            out << ")";
        } else {
            out << "–";
        }
        out << "</td><td class=\"num\">" << c.probed << "</td><td class=\"num\">" << c.document << "</td><td class=\"num\">"
            << c.declared << "</td><td class=\"num\">" << c.not_evidenced << "</td></tr>\n";
    }
    out << "</tbody>\n</table>\n";

}

// Per question: nationally and per 2023 size group, beside Socialstyrelsen's figures.
void write_groups_html(const Aggregate& a, std::ostream& out) {
    out << "<h2>Per fråga och storleksgrupp</h2>\n";
    for (const auto& q : a.questions) {
        out << "<div class=\"question-detail\" data-key=\"" << h(question_key(q.id, q.scope)) << "\">\n<h3>" << h(q.id)
            << (q.scope.empty() ? "" : " – " + h(q.scope)) << "</h3>\n<table class=\"groups\">\n<thead><tr><th>Population</th><th>n</th>";
        for (const auto& ans : q.answers) {
            out << "<th>" << h(ans) << "</th><th class=\"sos\">" << h(ans) << " (Socialstyrelsen)</th>";
        }
        out << "<th>Socialstyrelsen n</th><th>Prövat / dokument / deklarerat</th></tr></thead>\n<tbody>\n";
        auto row = [&](const std::string& id, const std::string& label, const AnswerCounts& c, const Figure* f) {
            out << "<tr data-population=\"" << h(id) << "\"><td>" << h(label) << "</td><td class=\"n\">" << c.n << "</td>";
            for (const auto& ans : q.answers) {
                const auto it = c.counts.find(ans);
                const std::int64_t k = it == c.counts.end() ? 0 : it->second;
                out << "<td class=\"num\">" << h(pct(survey_percent(k, c.n))) << " (" << k << ")</td><td class=\"num sos\">"
                    << h(pct(figure_value(f, ans))) << "</td>";
            }
            out << "<td class=\"num sos\">" << (f != nullptr && f->n ? std::to_string(*f->n) : "–") << "</td><td class=\"num\">"
                << c.probed << " / " << c.document << " / " << c.declared << "</td></tr>\n";
        };
        row("national", "Riket", q.national, q.national_figure);
        for (const auto& [g, c] : ordered_groups(a, q)) {
            const auto f = q.group_figures.find(g);
            row(g, group_label(a, g), *c, f == q.group_figures.end() ? nullptr : f->second);
        }
        out << "</tbody>\n</table>\n";
        if (q.national_figure != nullptr) {
            out << "<p class=\"source\">Källa: " << h(q.national_figure->source) << "</p>\n";
        }
        out << "</div>\n";
    }

}

// Registered municipalities that have not reported since the date.
void write_not_reported_html(const Aggregate& a, std::ostream& out) {
    std::map<std::string, std::string> name_of;
    for (const auto& t : a.trends) name_of[t.code] = t.name;
    out << "<h2>Ej rapporterat sedan " << h(a.not_reported_since) << " (" << a.not_reported.size() << ")</h2>\n";
    out << "<table class=\"not-reported\">\n<thead><tr><th>Kommunkod</th><th>Kommun</th><th>Senast rapporterat</th></tr></thead>\n<tbody>\n";
    for (const auto& m : a.not_reported) {
        out << "<tr><td>" << h(m.municipality_code) << "</td><td>" << h(name_of[m.municipality_code]) << "</td><td>"
            << (m.last_as_of ? h(*m.last_as_of) : "aldrig") << "</td></tr>\n";
    }
    out << "</tbody>\n</table>\n";

}

// Every verified full-scope profile per municipality, newest first.
void write_trends_html(const Aggregate& a, std::ostream& out) {
    const auto columns = trend_columns(a);
    out << "<h2>Utveckling per kommun</h2>\n<p>Alla verifierade profiler över hela inventeringen till och med "
        << h(a.as_of) << ", senaste först.</p>\n<table class=\"trends\">\n<thead><tr><th>Kommunkod</th><th>Kommun</th>"
           "<th>Storleksgrupp</th><th>Per</th><th>Poäng</th><th>Komplett</th>";
    for (const auto& key : columns) out << "<th>" << h(key) << "</th>";
    out << "</tr></thead>\n<tbody>\n";
    for (const auto& t : a.trends) {
        const std::string head = "<td>" + h(t.code) + "</td><td>" + h(t.name) + "</td><td>" + h(group_label(a, t.size_group)) + "</td>";
        if (t.reports.empty()) {
            out << "<tr data-code=\"" << h(t.code) << "\">" << head << "<td colspan=\"" << (3 + columns.size())
                << "\">ingen profil</td></tr>\n";
            continue;
        }
        for (const auto& r : t.reports) {
            out << "<tr data-code=\"" << h(t.code) << "\">" << head << "<td>" << h(r.as_of) << "</td><td class=\"num\">"
                << h(score_text(r.score)) << "</td><td>" << (r.complete ? "ja" : "nej") << "</td>";
            for (const auto& key : columns) {
                const auto it = r.answers.find(key);
                out << "<td>" << (it == r.answers.end() ? "" : it->second ? h(*it->second) : "ej belagt") << "</td>";
            }
            out << "</tr>\n";
        }
    }
}

}  // namespace

void write_aggregate_html(const Aggregate& a, std::ostream& out) {
    out << "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<title>Enkätens tabeller ur den centrala lagringen, " << h(a.as_of) << "</title>\n"
        << "<style>" << kAggregateCss << "</style>\n</head>\n<body>\n"
        << "<h1>Enkätens tabeller ur den centrala lagringen</h1>\n"
        << "<p class=\"summary\">Per " << h(a.as_of) << ": <span class=\"counted\">" << a.municipalities_counted
        << "</span> kommuner räknade (senaste kompletta, verifierade profil över hela inventeringen), "
        << a.incomplete_scans << " med en ofullständig senaste skanning (inte räknade), " << a.municipalities_with_keys
        << " med registrerad nyckel; " << a.unverified_skipped
        << " lagrade profiler gick inte att verifiera eller hade inte profilens form och hoppades över. Jämför antal, inte procent: "
           "procenten avrundas som Socialstyrelsen avrundar (heltal, halva uppåt).</p>\n";
    write_overview_html(a, out);
    write_groups_html(a, out);
    write_not_reported_html(a, out);
    write_trends_html(a, out);
    out << "</tbody>\n</table>\n</body>\n</html>\n";
}

}  // namespace lisa
