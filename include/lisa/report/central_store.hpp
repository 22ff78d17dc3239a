// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lisa/core/result.hpp"
#include "lisa/report/benchmarks.hpp"

namespace lisa {

namespace pg {
class Connection;
}

/// What became of one `lisa push`.
struct PushOutcome {
    enum class Status { Stored, Duplicate, Refused };
    Status status = Status::Refused;
    std::string message;            ///< one line for the user; for Refused, what to do
    std::string sha256;             ///< of the profile's bytes (the store's unique key)
    std::string municipality_code;
};

/// Answers to one survey question (indicator id + scope) in one population (nation or size group).
struct AnswerCounts {
    std::map<std::string, std::int64_t> counts;  ///< answer -> municipalities
    std::int64_t n = 0;                          ///< municipalities with an answer
    std::int64_t not_evidenced = 0;              ///< answer null in the profile
    std::int64_t probed = 0;    ///< answers resting on at least one probed unit
    std::int64_t document = 0;  ///< else on at least one evidence document
    std::int64_t declared = 0;  ///< else on declarations (the inventory) only
};

struct QuestionAggregate {
    std::string id;
    std::string scope;                  ///< empty when the question has none
    std::vector<std::string> answers;   ///< alternatives, in the source's order when known
    AnswerCounts national;
    std::map<std::string, AnswerCounts> by_group;  ///< 2023 size group id -> counts
    const Figure* national_figure = nullptr;       ///< Socialstyrelsen's latest, or null
    std::map<std::string, const Figure*> group_figures;  ///< 2023 group id -> figure
};

struct NotReported {
    std::string municipality_code;
    std::optional<std::string> last_as_of;  ///< none: never reported (up to --as-of)
};

/// One stored profile in a municipality's trend.
struct TrendReport {
    std::string as_of;                ///< run.as_of
    std::optional<double> score;      ///< score.overall (null when nothing was judged)
    bool complete = false;            ///< run.complete
    /// Per survey question ("ID", or "ID|scope" when the question has a scope): the answer, or
    /// none when not evidenced.
    std::map<std::string, std::optional<std::string>> answers;
};

/// A registered municipality's full-scope, verified profiles up to --as-of, latest first.
struct MunicipalityTrend {
    std::string code;
    std::string name;        ///< organization.name of the latest profile (empty: none stored)
    std::string size_group;  ///< 2023 size group id from the latest profile's population, or "unknown"
    std::vector<TrendReport> reports;
};

/**
 * The survey's tables rebuilt from the store (issue 17). Per municipality the latest profile up
 * to `as_of` (ordered by run.as_of, then run.finished) that covers the whole inventory and whose
 * signature verifies against the municipality's registered key; older ones are not counted.
 * A latest profile with run.complete false is counted in `incomplete_scans`, not in the
 * distributions. Size groups are Socialstyrelsen's 2023 groups, from the profile's population.
 */
struct Aggregate {
    std::string as_of;
    std::string not_reported_since;
    std::int64_t municipalities_with_keys = 0;
    std::int64_t municipalities_counted = 0;  ///< complete, verified, full-scope latest profiles
    std::int64_t incomplete_scans = 0;
    std::int64_t unverified_skipped = 0;      ///< stored profiles whose signature does not verify
    std::vector<SizeGroup> groups;            ///< the 2023 groups, in order
    std::map<std::string, std::int64_t> municipalities_by_group;
    std::vector<QuestionAggregate> questions; ///< sorted by id, then scope
    std::vector<NotReported> not_reported;    ///< registered keys without a verified full-scope profile since the date
    std::vector<MunicipalityTrend> trends;    ///< every registered municipality, by code
};

/// The key of a question in TrendReport::answers: "ID", or "ID|scope".
[[nodiscard]] std::string question_key(const std::string& id, const std::string& scope);

/**
 * The central store: PostgreSQL tables `municipality_keys` and `profiles` beside the history
 * (same versioned schema). Access is by PostgreSQL role (created by `init`): `lisa_pusher` may
 * read keys and insert profiles, nothing else; `lisa_key_admin` manages keys; `lisa_reader`
 * reads both. A refused privilege comes back as an error naming the role needed.
 */
class CentralStore {
public:
    /// Connects (see open_postgresql_history for the URL rules); does not create the schema.
    [[nodiscard]] static Result<std::unique_ptr<CentralStore>> open(const std::string& url);
    ~CentralStore();
    CentralStore(const CentralStore&) = delete;
    CentralStore& operator=(const CentralStore&) = delete;

    /// Creates the schema and the three roles with their grants (needs CREATEROLE).
    [[nodiscard]] Result<bool> init();
    /// Registers the Ed25519/ECDSA public key (PEM) of a municipality (four-digit code); refuses
    /// a code that already has one unless `replace`.
    [[nodiscard]] Result<bool> add_key(const std::string& municipality_code, const std::string& public_key_pem,
                                       bool replace);
    /**
     * Accepts a central profile only if `signature_b64` verifies over its exact bytes against the
     * key registered for the municipality code inside it. Refused (status Refused, message
     * saying what to do): not a profile, a full report, no key for that code, a signature that
     * does not verify (tampered, or signed by another municipality). The same bytes pushed again
     * are stored once (unique SHA-256): status Duplicate.
     */
    [[nodiscard]] Result<PushOutcome> push(const std::string& profile, const std::string& signature_b64);
    /// The survey's tables as of `as_of` (YYYY-MM-DD); "not reported" counts from `since`.
    [[nodiscard]] Result<Aggregate> aggregate(const std::string& as_of, const std::string& since,
                                              const Benchmarks& benchmarks);

private:
    explicit CentralStore(std::unique_ptr<pg::Connection> db);
    std::unique_ptr<pg::Connection> db_;
};

/// Renders an aggregate: a text table per question (ours beside Socialstyrelsen's), RFC 4180 CSV
/// (one row per question × population × answer) or canonical JSON.
void write_aggregate_text(const Aggregate& a, std::ostream& out);
void write_aggregate_csv(const Aggregate& a, std::ostream& out);
void write_aggregate_json(const Aggregate& a, std::ostream& out);
/// One self-contained Swedish HTML page (no scripts, no external assets; every text escaped).
void write_aggregate_html(const Aggregate& a, std::ostream& out);

/// Percent as Socialstyrelsen prints it: an integer, halves rounded up; null when n is 0.
[[nodiscard]] std::optional<int> survey_percent(std::int64_t count, std::int64_t n);

}  // namespace lisa
