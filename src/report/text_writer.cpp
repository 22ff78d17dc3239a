// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cstdio>
#include <map>

#include "lisa/core/numbers.hpp"
#include "lisa/core/text.hpp"
#include "lisa/report/could_not_check.hpp"
#include "lisa/report/render.hpp"

namespace lisa {
namespace {

// A word of the label catalogue (rules/labels/labels.yaml) in the report's language.
struct Lang {
    const Labels& labels;
    bool en;
    [[nodiscard]] std::string operator()(std::string_view key) const { return labels.word(key, en ? "en" : "sv"); }
    /// `v` with `decimals` decimals and the language's decimal sign ("72,5" in sv).
    [[nodiscard]] std::string num(double v, int decimals = 1) const {
        return decimal_sign(fixed_decimals(v, decimals), en ? "en" : "sv");
    }
    [[nodiscard]] std::string score(const std::optional<double>& s) const { return s ? num(*s) : "–"; }
};

std::string pad(const std::string& s, std::size_t width) {
    // Width in code points, so "Åtgärd" lines up with ASCII text.
    std::size_t cps = 0;
    for (const unsigned char c : s) {
        cps += (c & 0xC0) != 0x80 ? 1 : 0;
    }
    return cps >= width ? s : s + std::string(width - cps, ' ');
}

// Every string from the inventory, the rules or a probe passes the terminal sanitiser
// (lisa/core/text.hpp): no control character or escape sequence reaches the terminal.
std::string one_line(const std::string& s, std::size_t max = 160) { return terminal_line(s, max); }

/// The accounts behind a finding within about `max` characters: as many whole names as fit, then
/// "och N till" counting the rest — never cut in a name, never losing how many there are.
std::string accounts_line(const ReportFinding& f, std::string_view lang, std::size_t max) {
    const std::string all = accounts_text(f, lang);
    if (all.size() <= max) {
        return all;
    }
    std::string out;
    std::size_t shown = 0;
    for (const auto& name : f.accounts) {
        if (out.size() + name.size() + 2 > max * 3 / 4) break;
        out += (out.empty() ? "" : ", ") + name;
        ++shown;
    }
    const std::string n = std::to_string(f.accounts.size() - shown + static_cast<std::size_t>(f.accounts_more));
    if (out.empty()) {
        return n + (lang == "en" ? " accounts" : " konton");
    }
    return out + (lang == "en" ? " and " + n + " more" : " och " + n + " till");
}

struct Styles {
    TerminalStyle bold, red, yellow, green, reset;
    explicit Styles(bool color)
        : bold{color ? "\033[1m" : ""}, red{color ? "\033[31m" : ""}, yellow{color ? "\033[33m" : ""},
          green{color ? "\033[32m" : ""}, reset{color ? "\033[0m" : ""} {}
};

void header(const ReportDocument& r, const Lang& L, const Styles& st, TerminalStream& out) {
    const auto& org = r.organization;
    out << st.bold << "lisa " << r.run.tool_version << " — " << one_line(org.name) << st.reset;
    if (!org.municipality_code.empty()) {
        out << " (" << L("text.municipality_code") << org.municipality_code << ")";
    }
    out << '\n';
    out << L("text.population") << org.population << " · "
        << L("text.size_group") << org.size_group << " · "
        << L("text.as_of") << r.run.as_of;
    if (!r.run.systems.empty()) {
        out << " · " << L("text.systems");
        for (std::size_t i = 0; i < r.run.systems.size(); ++i) {
            out << (i ? ", " : "") << r.run.systems[i];
        }
    }
    out << "\n\n";
}

void scores(const ReportDocument& r, const Lang& L, const Styles& st, TerminalStream& out) {
    const TerminalStyle& bold = st.bold;
    const TerminalStyle& reset = st.reset;
    const AreaScore& all = r.score.overall;
    const auto count = [&](Status s) { return all.by_status[static_cast<std::size_t>(s)]; };
    const bool good = all.score && *all.score >= 80;
    out << bold << L("text.score") << (good ? st.green : st.yellow) << L.score(all.score)
        << " / 100" << reset << "   " << L("text.coverage") << L.num(all.coverage * 100)
        << " %   " << L("text.without_waivers") << L.score(all.score_without_waivers)
        << '\n';
    out << "  " << count(Status::Pass) << L("text.pass") << count(Status::Fail)
        << L("text.fail") << count(Status::Error)
        << L("text.error") << count(Status::Waived)
        << L("text.waived") << count(Status::NotApplicable)
        << L("text.not_applicable") << "\n\n";

    // Area titles from the rule pack (rules/areas.yaml), column heads from the catalogue.
    out << bold << pad(L("text.area"), 34) << pad(L("text.score2"), 8)
        << pad(L("text.coverage2"), 10) << pad(L("text.col.pass"), 10) << pad(L("text.col.fail"), 9)
        << pad(L("text.col.error"), 10) << pad(L("text.col.waived"), 8) << L("text.col.not_applicable") << reset << '\n';
    for (const auto& area : r.score.areas) {
        const AreaScore& a = area.result;
        const auto c = [&](Status s) { return std::to_string(a.by_status[static_cast<std::size_t>(s)]); };
        out << pad(one_line(r.area_title(a.id, L.en ? "en" : "sv"), 33), 34) << pad(L.score(a.score), 8)
            << pad(L.num(a.coverage * 100) + " %", 10) << pad(c(Status::Pass), 10) << pad(c(Status::Fail), 9)
            << pad(c(Status::Error), 10) << pad(c(Status::Waived), 8) << c(Status::NotApplicable) << '\n';
    }

    for (const auto& fw : r.frameworks) {
        out << '\n' << fw.title << ": " << fw.evidenced << L("text.of") << fw.controls
            << L("text.controls_evidenced_by_this_scan")
            << fw.mapped << L("text.have_rules") << '\n';
    }
}

std::string distribution_text(const ReportFigure& f, const std::optional<std::string>& ours) {
    // "Alla 53 %  [Delvis 46 %]  Inga 1 %": the municipality's own answer in brackets.
    std::string s;
    for (const auto& [k, v] : f.distribution) {
        const std::string item = k + " " + fixed_decimals(v, 0) + " %";
        s += (s.empty() ? "" : " · ") + (ours && *ours == k ? "[" + item + "]" : item);
    }
    return s;
}

std::string figure_meta(const ReportFigure& f) {
    std::string s = std::to_string(f.year);
    if (f.n) {
        s += ", n=" + std::to_string(*f.n);
    }
    return s + ", " + f.source;
}

std::string answer_text(const IndicatorResult& a, const Lang& L) {
    std::string answer = a.not_asked ? L("text.not_asked")
                         : a.answer ? *a.answer : L("text.not_evidenced");
    if (a.share_percent) {
        answer += " (" + L.num(*a.share_percent, share_decimals(*a.share_percent)) + " %)";
    }
    if (!a.complete) {
        answer += L("text.incomplete");
    }
    return answer;
}

std::string evidence_text(const IndicatorResult& a, const Lang& L) {
    std::string evidence;
    for (const auto& [prov, n] : a.by_provenance) {
        evidence += (evidence.empty() ? "" : ", ") + std::to_string(n) + " " + L("provenance." + prov);
    }
    if (a.measure_total && *a.measure_total > 0) {
        evidence += (evidence.empty() ? "" : "; ") + std::to_string(a.measure_missing.value_or(0)) +
                    L("text.of") + std::to_string(*a.measure_total) + L("text.lack_it");
    }
    return evidence;
}

void indicator(const IndicatorResult& a, const Lang& L, const Styles& st, TerminalStream& out) {
    out << "    " << (a.scope.empty() ? "" : one_line(a.scope, 60) + ": ") << st.bold << answer_text(a, L)
        << st.reset;
    const std::string evidence = evidence_text(a, L);
    out << (evidence.empty() ? "" : "   (" + evidence + ")") << '\n';
    for (const auto& c : a.caveats) {
        out << "        " << L("text.note") << c.rule << " " << c.subject << ": " << one_line(caveat_message(c, L.en ? "en" : "sv"), 100) << '\n';
    }
    if (a.national) {
        out << "        " << L("text.national") << " (" << figure_meta(*a.national)
            << "): " << distribution_text(*a.national, a.answer) << '\n';
    }
    // The national share of this answer over every year the data holds.
    if (a.answer && a.national_trend.size() > 1) {
        std::string trend;
        for (const auto& f : a.national_trend) {
            for (const auto& [k, v] : f.distribution) {
                if (k == *a.answer) {
                    trend += (trend.empty() ? "" : " · ") + std::to_string(f.year) + " " + fixed_decimals(v, 0) + " %";
                }
            }
        }
        if (trend.find(" · ") != std::string::npos) {
            out << "        " << L("text.national_trend") << *a.answer << "): " << trend << '\n';
        }
    }
    if (a.size_group) {
        out << "        " << a.size_group->label.value_or(a.size_group->group) << " ("
            << figure_meta(*a.size_group) << "): " << distribution_text(*a.size_group, a.answer) << '\n';
    }
}

void indicators(const ReportDocument& r, const std::string& lang, const Lang& L, const Styles& st,
                TerminalStream& out) {
    if (r.indicators.empty()) {
        return;
    }
    out << '\n' << st.bold << L("text.socialstyrelsen_survey_answers_from_evidence")
        << st.reset << '\n';
    std::string last;
    const SourcedText* caveat = nullptr;
    for (const auto& a : r.indicators) {
        if (a.id != last) {
            out << "  " << st.bold << a.id << st.reset << "  " << one_line(a.title.in(lang), 100) << '\n';
            last = a.id;
        }
        indicator(a, L, st, out);
        caveat = a.caveat ? &*a.caveat : caveat;
    }
    if (caveat != nullptr && !caveat->sv.empty()) {
        out << "  " << L("text.socialstyrelsen_sv") << '"' << caveat->sv
            << "\" (" << caveat->source << ")\n";
    }
    out << "  " << L("text.the_latest_edition_reporting_these")
        << '\n';
}

void failures(const ReportDocument& r, const std::string& lang, const Lang& L, const Styles& st,
              TerminalStream& out) {
    const TerminalStyle& bold = st.bold;
    const TerminalStyle& reset = st.reset;
    // Failing rules by severity, most severe first.
    std::map<Severity, std::vector<const ReportFinding*>, std::greater<>> failing;
    std::vector<const ReportFinding*> errors;
    for (const auto& f : r.findings) {
        if (f.status == Status::Fail) {
            failing[f.severity].push_back(&f);
        } else if (f.status == Status::Error) {
            errors.push_back(&f);
        }
    }
    if (!failing.empty()) {
        out << '\n' << bold << L("text.failing_rules") << reset << '\n';
    }
    for (const auto& [severity, list] : failing) {
        out << "  " << st.red << bold << L("severity." + std::string(to_string(severity))) << reset << '\n';
        for (const ReportFinding* f : list) {
            out << "    " << pad(f->rule, 10) << ' ' << one_line(f->subject, 40) << "  "
                << one_line(f->title.in(lang), 90) << '\n'
                << "      "
                << one_line(f->result.clauses.empty() ? f->message : L.labels.result(f->result, lang, r.run.as_of)) << '\n';
            if (const std::string names = accounts_text(*f, lang); !names.empty()) {
                out << "      " << L("text.accounts") << one_line(accounts_line(*f, lang, 200), 220) << '\n';
            }
        }
    }
    if (!errors.empty()) {
        // Grouped by cause (could_not_check.hpp): one line per cause naming what to fix, not one
        // line per rule and subject; each check's message stays in the JSON and HTML reports.
        out << '\n' << bold << st.yellow << L("text.could_not_check") << reset << ": "
            << errors.size()
            << L(errors.size() == 1 ? "text.checks_not_run.one" : "text.checks_not_run.many")
            << '\n';
        constexpr std::size_t kNamed = 8;
        for (const auto& group : group_could_not_check(r)) {
            std::string names;
            for (std::size_t i = 0; i < group.targets.size() && i < kNamed; ++i) {
                names += (i ? ", " : "") + one_line(group.targets[i], 60);
            }
            if (group.targets.size() > kNamed) {
                names += L("text.and") + std::to_string(group.targets.size() - kNamed) + L("text.more");
            }
            out << "    " << cause_text(group.cause, group.targets.size(), lang, L.labels) << ": " << names << " ("
                << group.checks << L(group.checks == 1 ? "text.check.one" : "text.check.many")
                << ") – " << cause_advice(group.cause, lang, L.labels) << '\n'
                << "      " << L("text.e_g") << one_line(cause_example(group, lang, L.labels)) << '\n';
        }
    }
}

// Where a document's text, metadata, front matter or sidecar disagree (document.conflicts, shown
// beside the facts a rule read): once per document, in the report's language, whatever the verdict.
void document_conflicts(const ReportDocument& r, const std::string& lang, const Lang& L, const Styles& st,
                        TerminalStream& out) {
    std::map<std::string, std::vector<std::string>> by_subject;
    for (const auto& f : r.findings) {
        for (const auto& e : f.evidence) {
            const StringList* items = e.fact == "document.conflicts" ? e.value.as_list() : nullptr;
            if (items == nullptr || by_subject.count(f.subject) != 0) continue;
            for (const auto& item : *items) by_subject[f.subject].push_back(L.labels.conflict(item, lang));
        }
    }
    if (by_subject.empty()) return;
    out << '\n' << st.bold << L("text.document_conflicts") << st.reset << '\n';
    for (const auto& [subject, items] : by_subject) {
        out << "    " << one_line(subject, 60) << '\n';
        for (const auto& item : items) out << "      " << one_line(item, 400) << '\n';
    }
}

void waivers(const ReportDocument& r, const Lang& L, const Styles& st, TerminalStream& out) {
    const TerminalStyle& bold = st.bold;
    const TerminalStyle& reset = st.reset;
    bool header = false;
    for (const auto& waiver : r.waivers) {
        if (!header) {
            out << '\n' << bold << L("text.waivers_risk_acceptance") << reset
                << '\n';
            header = true;
        }
        out << "    " << pad(one_line(waiver.rule), 10) << ' ' << one_line(waiver.subject, 40) << "  "
            << one_line(waiver.decision.decision_ref, 30) << "  " << L("text.until")
            << waiver.expires << "  ";
        if (waiver.state == WaiverState::Expired) {
            out << st.red << L("text.expired_ignored") << reset;
        } else {
            out << waiver.findings_waived << L("text.findings_waived");
        }
        out << '\n';
    }
}

}  // namespace

void render_text(const ReportDocument& r, const RenderOptions& options, std::ostream& stream) {
    TerminalStream out(stream);  // every field through the terminal sanitiser; colours as they are
    const std::string lang = options.lang == "en" ? "en" : "sv";
    const Lang L{options.words(), lang == "en"};
    const Styles st(options.color);
    header(r, L, st, out);
    scores(r, L, st, out);
    indicators(r, lang, L, st, out);
    failures(r, lang, L, st, out);
    document_conflicts(r, lang, L, st, out);
    waivers(r, L, st, out);
}

}  // namespace lisa
