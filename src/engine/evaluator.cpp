// SPDX-License-Identifier: Apache-2.0
#include "lisa/engine/evaluator.hpp"

#include <algorithm>

namespace lisa {
namespace {

// Evaluates one rule's conditions on one subject's facts.
class Evaluation {
public:
    Evaluation(const FactView& facts, Date as_of, std::optional<Provenance> require)
        : facts_(facts), as_of_(as_of), require_(require) {}

    // `why` receives a one-line explanation when the result is False, and detail_ the same as
    // clauses (only while `why` is asked for).
    Truth eval(const Condition& c, std::string* why) {
        switch (c.kind) {
            case Condition::Kind::Compare: return compare_fact(c, why);
            case Condition::Kind::All: {
                bool unknown = false;
                for (const auto& child : c.children) {
                    const Truth t = eval(child, why);
                    if (t == Truth::False) {
                        return Truth::False;
                    }
                    unknown = unknown || t == Truth::Unknown;
                }
                return unknown ? Truth::Unknown : Truth::True;
            }
            case Condition::Kind::Any: {
                bool unknown = false;
                std::string reasons;
                const std::size_t first = detail_.clauses.size();
                for (const auto& child : c.children) {
                    std::string child_why;
                    const Truth t = eval(child, why != nullptr ? &child_why : nullptr);
                    if (t == Truth::True) {
                        detail_.clauses.resize(first);
                        return Truth::True;
                    }
                    unknown = unknown || t == Truth::Unknown;
                    if (why != nullptr && t == Truth::False && !child_why.empty()) {
                        reasons += (reasons.empty() ? "" : "; ") + child_why;
                    }
                }
                if (!unknown && why != nullptr) {
                    *why = "none of the alternatives holds: " + reasons;
                    detail_.any_of = true;
                } else if (unknown) {
                    detail_.clauses.resize(first);
                }
                return unknown ? Truth::Unknown : Truth::False;
            }
            case Condition::Kind::None: {
                bool unknown = false;
                for (const auto& child : c.children) {
                    const Truth t = eval(child, nullptr);
                    if (t == Truth::True) {
                        if (why != nullptr) {
                            *why = describe(child) + " holds, and must not";
                            if (child.kind == Condition::Kind::Compare) {
                                const Fact* held = facts_.get(child.fact_id);
                                detail_.clauses.push_back({child.fact, std::string(to_string(child.op)),
                                                           shown(child.operand),
                                                           held != nullptr ? shown(held->value) : "", true});
                            }
                        }
                        return Truth::False;
                    }
                    unknown = unknown || t == Truth::Unknown;
                }
                return unknown ? Truth::Unknown : Truth::True;
            }
        }
        return Truth::Unknown;
    }

    [[nodiscard]] const std::string& unknown_reason() const noexcept { return unknown_reason_; }
    [[nodiscard]] bool unknown_not_applicable() const noexcept { return unknown_na_; }
    [[nodiscard]] const std::vector<int>& read() const noexcept { return read_; }
    [[nodiscard]] ResultDetail take_detail() noexcept { return std::move(detail_); }

private:
    Truth compare_fact(const Condition& c, std::string* why) {
        if (std::find(read_.begin(), read_.end(), c.fact_id) == read_.end()) {
            read_.push_back(c.fact_id);
        }
        const Fact* fact = facts_.get(c.fact_id);
        if (fact == nullptr) {
            const auto& [reason, not_applicable] = facts_.missing(c.fact_id);
            if (!reason.empty()) {
                // The probe that provides it failed, or does not apply: we cannot know.
                if (unknown_reason_.empty() || (unknown_na_ && !not_applicable)) {
                    unknown_reason_ = reason;
                    unknown_na_ = not_applicable;
                }
                return Truth::Unknown;
            }
            // Known absence: not declared, or the evidence does not state it.
            const bool holds = c.op == Op::Exists && c.operand.as_bool() != nullptr &&
                               !*c.operand.as_bool();
            if (!holds && why != nullptr) {
                *why = c.fact + " is not stated";
                detail_.clauses.push_back({c.fact, "not_stated", "", "", false});
            }
            return holds ? Truth::True : Truth::False;
        }
        if (require_ && fact->provenance < *require_ && c.op != Op::Exists) {
            if (why != nullptr) {
                *why = c.fact + " is only " + std::string(to_string(fact->provenance)) +
                       ", the rule requires " + std::string(to_string(*require_)) + " evidence";
                detail_.clauses.push_back({c.fact, "provenance", std::string(to_string(*require_)),
                                           std::string(to_string(fact->provenance)), false});
            }
            return Truth::False;
        }
        if (fact->value.is_none() && c.op != Op::Exists) {
            // Collected but empty: the probe could not say, so neither can we.
            if (unknown_reason_.empty() || unknown_na_) {
                unknown_reason_ = c.fact + " was collected without a value";
                unknown_na_ = false;
            }
            return Truth::Unknown;
        }
        const Truth t = compare(c.op, fact->value, c.operand, c.regex.get(), as_of_);
        if (t == Truth::False && why != nullptr) {
            *why = c.fact + " is " + shown(fact->value) + ", expected " + describe_op(c);
            detail_.clauses.push_back({c.fact, std::string(to_string(c.op)), shown(c.operand),
                                       shown(fact->value), false});
        }
        return t;
    }

    static std::string shown(const Value& v) {
        std::string s = v.to_display();
        if (s.size() > 120) {
            s = s.substr(0, 117) + "...";
        }
        return s;
    }

    static std::string describe_op(const Condition& c) {
        if (c.op == Op::WithinDays) {
            return "within " + c.operand.to_display() + " days";
        }
        return std::string(to_string(c.op)) + " " + shown(c.operand);
    }

    static std::string describe(const Condition& c) {
        if (c.kind == Condition::Kind::Compare) {
            return c.fact + " " + describe_op(c);
        }
        return "a nested condition";
    }

    const FactView& facts_;
    Date as_of_;
    std::optional<Provenance> require_;
    std::vector<int> read_;
    std::string unknown_reason_;
    bool unknown_na_ = true;
    ResultDetail detail_;
};

}  // namespace

std::string_view to_string(Status status) noexcept {
    switch (status) {
        case Status::Pass: return "pass";
        case Status::Fail: return "fail";
        case Status::Error: return "error";
        case Status::NotApplicable: return "not_applicable";
        case Status::Waived: return "waived";
    }
    return "error";
}

Verdict evaluate(const Rule& rule, const FactView& facts, const FactCatalog& catalog, Date as_of,
                 bool with_evidence) {
    Verdict verdict;
    if (rule.where) {
        Evaluation where(facts, as_of, std::nullopt);
        std::string why;
        const Truth applies = where.eval(*rule.where, &why);
        if (applies == Truth::False) {
            verdict.status = Status::NotApplicable;
            verdict.message = "not applicable: " + why;
            verdict.detail = where.take_detail();
            verdict.detail.where = true;
            return verdict;
        }
        if (applies == Truth::Unknown) {
            verdict.status = where.unknown_not_applicable() ? Status::NotApplicable : Status::Error;
            verdict.message = where.unknown_reason();
            return verdict;
        }
    }
    Evaluation expect(facts, as_of, rule.require);
    std::string why;
    const Truth t = expect.eval(rule.expect, &why);
    switch (t) {
        case Truth::True:
            verdict.status = Status::Pass;
            break;
        case Truth::False:
            verdict.status = Status::Fail;
            verdict.message = std::move(why);
            verdict.detail = expect.take_detail();
            break;
        case Truth::Unknown:
            verdict.status = expect.unknown_not_applicable() ? Status::NotApplicable : Status::Error;
            verdict.message = expect.unknown_reason();
            break;
    }
    if (with_evidence) {
        for (const int id : expect.read()) {
            if (const Fact* fact = facts.get(id)) {
                verdict.evidence.emplace_back(catalog.name_of(id), *fact);
            }
            // A count that names its accounts ("X" with "X.accounts", issue 14): the names are
            // evidence too. The message does not repeat them (issue 16 item 8): the report model
            // carries them as ReportFinding::accounts, which only the municipality's own reports
            // show, while the message also goes to SARIF and JUnit.
            const int named = catalog.id_of(catalog.name_of(id) + ".accounts");
            if (const Fact* accounts = named >= 0 ? facts.get(named) : nullptr) {
                verdict.evidence.emplace_back(catalog.name_of(named), *accounts);
            }
        }
        // A probe that names its own disagreements ("P.conflicts": document.conflicts, where the
        // text and the metadata give two dates) has them shown beside any of its facts a rule
        // read, so a verdict on one of two disagreeing values never hides the other. Once each.
        for (const int id : expect.read()) {
            const std::string& name = catalog.name_of(id);
            const int conflicts = catalog.id_of(name.substr(0, name.find('.')) + ".conflicts");
            const Fact* said = conflicts >= 0 && conflicts != id ? facts.get(conflicts) : nullptr;
            if (said != nullptr && std::none_of(verdict.evidence.begin(), verdict.evidence.end(), [&](const auto& e) {
                    return e.first == catalog.name_of(conflicts);
                })) {
                verdict.evidence.emplace_back(catalog.name_of(conflicts), *said);
            }
        }
        std::sort(verdict.evidence.begin(), verdict.evidence.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    return verdict;
}

}  // namespace lisa
