// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cstdio>
#include <map>

#include "lisa/core/text.hpp"
#include "lisa/report/report.hpp"
#include "lisa/report/could_not_check.hpp"

namespace lisa {
namespace {

// Swedish or English label.
struct Lang {
    bool en;
    [[nodiscard]] const char* operator()(const char* sv, const char* english) const {
        return en ? english : sv;
    }
};

std::string fixed(double v, int decimals = 1) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string score_text(const std::optional<double>& s) { return s ? fixed(*s) : "–"; }

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

}  // namespace

void TextReportWriter::write(const Report& r, std::ostream& stream) const {
    TerminalStream out(stream);  // every field through the terminal sanitiser; colours as they are
    const Lang L{r.lang == "en"};
    const Inventory& inv = *r.inventory;
    const auto& rules = r.rules->rules;
    const ScanResult& scan = *r.scan;
    const TerminalStyle bold{color_ ? "\033[1m" : ""};
    const TerminalStyle red{color_ ? "\033[31m" : ""};
    const TerminalStyle yellow{color_ ? "\033[33m" : ""};
    const TerminalStyle green{color_ ? "\033[32m" : ""};
    const TerminalStyle reset{color_ ? "\033[0m" : ""};

    out << bold << "lisa " << r.tool_version << " — " << one_line(inv.name) << reset;
    if (!inv.municipality_code.empty()) {
        out << " (" << L("kommunkod ", "municipality code ") << inv.municipality_code << ")";
    }
    out << '\n';
    out << L("Invånare: ", "Population: ") << inv.population << " · "
        << L("storleksgrupp ", "size group ") << size_group_2023(inv.population) << " · "
        << L("per ", "as of ") << r.as_of;
    if (!r.systems.empty()) {
        out << " · " << L("system: ", "systems: ");
        for (std::size_t i = 0; i < r.systems.size(); ++i) {
            out << (i ? ", " : "") << r.systems[i];
        }
    }
    out << "\n\n";

    const AreaScore& all = r.score.overall;
    const auto count = [&](Status s) { return all.by_status[static_cast<std::size_t>(s)]; };
    const bool good = all.score && *all.score >= 80;
    out << bold << L("Poäng ", "Score ") << (good ? green : yellow) << score_text(all.score)
        << " / 100" << reset << "   " << L("täckning ", "coverage ") << fixed(all.coverage * 100)
        << " %   " << L("utan undantag ", "without waivers ") << score_text(all.score_without_waivers)
        << '\n';
    out << "  " << count(Status::Pass) << L(" godkända, ", " pass, ") << count(Status::Fail)
        << L(" underkända, ", " fail, ") << count(Status::Error)
        << L(" kunde inte kontrolleras, ", " error, ") << count(Status::Waived)
        << L(" undantagna, ", " waived, ") << count(Status::NotApplicable)
        << L(" ej tillämpliga", " not applicable") << "\n\n";

    out << bold << pad(L("Område", "Area"), 16) << pad(L("Poäng", "Score"), 8)
        << pad(L("Täckning", "Coverage"), 10) << pad("pass", 6) << pad("fail", 6) << pad("error", 7)
        << pad("waived", 7) << "n/a" << reset << '\n';
    for (const auto& a : r.score.areas) {
        const auto c = [&](Status s) { return std::to_string(a.by_status[static_cast<std::size_t>(s)]); };
        out << pad(a.id, 16) << pad(score_text(a.score), 8) << pad(fixed(a.coverage * 100) + " %", 10)
            << pad(c(Status::Pass), 6) << pad(c(Status::Fail), 6) << pad(c(Status::Error), 7)
            << pad(c(Status::Waived), 7) << c(Status::NotApplicable) << '\n';
    }

    for (const auto& fw : r.frameworks) {
        out << '\n' << fw.title << ": " << fw.evidenced << L(" av ", " of ") << fw.controls
            << L(" kontroller belagda i denna granskning (", " controls evidenced by this scan (")
            << fw.mapped << L(" har regler)", " have rules)") << '\n';
    }

    if (!r.indicators.empty()) {
        out << '\n' << bold << L("Socialstyrelsens enkät: svar ur bevisen", "Socialstyrelsen survey: answers from evidence")
            << reset << '\n';
        std::string last;
        // "Alla 53 %  [Delvis 46 %]  Inga 1 %": the municipality's own answer in brackets.
        auto dist = [&](const Figure* f, const std::optional<std::string>& ours) {
            std::string s;
            for (const auto& [k, v] : f->distribution) {
                const std::string item = k + " " + fixed(v, 0) + " %";
                s += (s.empty() ? "" : " · ") + (ours && *ours == k ? "[" + item + "]" : item);
            }
            return s;
        };
        auto meta = [&](const Figure* f) {
            std::string s = std::to_string(f->year);
            if (f->n) {
                s += ", n=" + std::to_string(*f->n);
            }
            return s + ", " + f->source;
        };
        for (const auto& a : r.indicators) {
            if (a.id != last) {
                std::string title;
                for (const auto& def : r.rules->indicators) {
                    if (def.id == a.id) {
                        title = def.title.in(r.lang);
                    }
                }
                out << "  " << bold << a.id << reset << "  " << one_line(title, 100) << '\n';
                last = a.id;
            }
            std::string answer = a.not_asked ? L("ej aktuellt", "not asked")
                                 : a.answer ? *a.answer : L("ej belagt", "not evidenced");
            if (a.share_percent) {
                answer += " (" + fixed(*a.share_percent, share_decimals(*a.share_percent)) + " %)";
            }
            if (!a.complete) {
                answer += L(" (ofullständigt)", " (incomplete)");
            }
            std::string evidence;
            for (const auto& [prov, n] : a.by_provenance) {
                evidence += (evidence.empty() ? "" : ", ") + std::to_string(n) + " " + prov;
            }
            if (a.measure_total && *a.measure_total > 0) {
                evidence += (evidence.empty() ? "" : "; ") + std::to_string(*a.measure_missing) + L(" av ", " of ") +
                            std::to_string(*a.measure_total) + L(" saknar", " lack it");
            }
            out << "    " << (a.scope.empty() ? "" : one_line(a.scope, 60) + ": ") << bold << answer << reset
                << (evidence.empty() ? "" : "   (" + evidence + ")") << '\n';
            for (const auto& c : a.caveats) {
                out << "        " << L("OBS ", "NOTE ") << c.rule << " " << c.subject << ": " << one_line(caveat_message(c, r.lang), 100) << '\n';
            }
            if (a.national != nullptr) {
                out << "        " << L("riket", "national") << " (" << meta(a.national) << "): "
                    << dist(a.national, a.answer) << '\n';
            }
            // The national share of this answer over every year the data holds.
            if (a.answer && a.national_trend.size() > 1) {
                std::string trend;
                for (const Figure* f : a.national_trend) {
                    for (const auto& [k, v] : f->distribution) {
                        if (k == *a.answer) {
                            trend += (trend.empty() ? "" : " · ") + std::to_string(f->year) + " " + fixed(v, 0) + " %";
                        }
                    }
                }
                if (trend.find(" · ") != std::string::npos) {
                    out << "        " << L("riket över tid (", "national trend (") << *a.answer << "): " << trend << '\n';
                }
            }
            if (a.size_group != nullptr) {
                out << "        " << (a.size_group_def ? a.size_group_def->label : a.size_group->group) << " ("
                    << meta(a.size_group) << "): " << dist(a.size_group, a.answer) << '\n';
            }
        }
        if (r.benchmarks != nullptr && !r.benchmarks->caveat_sv.empty()) {
            out << "  " << L("Socialstyrelsen: ", "Socialstyrelsen (sv): ") << '"' << r.benchmarks->caveat_sv
                << "\" (" << r.benchmarks->caveat_source << ")\n";
        }
        out << "  " << L("Den senaste utgåvan som redovisar dessa frågor är 2023; rapporten 2025 redovisar dem inte "
                         "(den säger inte att frågorna har tagits bort).",
                         "The latest edition reporting these questions is 2023; the 2025 report does not report "
                         "them (it does not say they were dropped).")
            << '\n';
    }

    // Failing rules by severity, most severe first.
    std::map<Severity, std::vector<const Finding*>, std::greater<>> failing;
    std::vector<const Finding*> errors;
    for (const auto& f : scan.findings) {
        if (f.status == Status::Fail) {
            failing[rules[static_cast<std::size_t>(f.rule)].severity].push_back(&f);
        } else if (f.status == Status::Error) {
            errors.push_back(&f);
        }
    }
    if (!failing.empty()) {
        out << '\n' << bold << L("Underkända regler", "Failing rules") << reset << '\n';
    }
    for (const auto& [severity, list] : failing) {
        out << "  " << red << bold << std::string(to_string(severity)) << reset << '\n';
        for (const Finding* f : list) {
            const Rule& rule = rules[static_cast<std::size_t>(f->rule)];
            const Subject& s = inv.subjects[static_cast<std::size_t>(f->subject)];
            out << "    " << pad(rule.id, 10) << ' ' << one_line(s.id, 40) << "  "
                << one_line(rule.title.in(r.lang), 90) << '\n'
                << "      " << one_line(f->message) << '\n';
        }
    }
    if (!errors.empty()) {
        // Grouped by cause (could_not_check.hpp): one line per cause naming what to fix, not one
        // line per rule and subject; each check's message stays in the JSON and HTML reports.
        out << '\n' << bold << yellow << L("Kunde inte kontrolleras", "Could not check") << reset << ": "
            << errors.size()
            << L(errors.size() == 1 ? " kontroll kunde inte köras" : " kontroller kunde inte köras",
                 errors.size() == 1 ? " check could not run" : " checks could not run")
            << '\n';
        constexpr std::size_t kNamed = 8;
        for (const auto& group : group_could_not_check(scan, inv)) {
            std::string names;
            for (std::size_t i = 0; i < group.targets.size() && i < kNamed; ++i) {
                names += (i ? ", " : "") + one_line(group.targets[i], 60);
            }
            if (group.targets.size() > kNamed) {
                names += L(" och ", " and ") + std::to_string(group.targets.size() - kNamed) + L(" till", " more");
            }
            out << "    " << cause_text(group.cause, group.targets.size(), r.lang) << ": " << names << " ("
                << group.checks << L(group.checks == 1 ? " kontroll" : " kontroller", group.checks == 1 ? " check" : " checks")
                << ") – " << cause_advice(group.cause, r.lang) << '\n'
                << "      " << L("t.ex. ", "e.g. ") << one_line(group.example) << '\n';
        }
    }
    bool header = false;
    for (std::size_t w = 0; w < inv.waivers.size(); ++w) {
        const Waiver& waiver = inv.waivers[w];
        const bool expired = std::find(scan.expired_waivers.begin(), scan.expired_waivers.end(),
                                       static_cast<int>(w)) != scan.expired_waivers.end();
        int applied = 0;
        for (const auto& f : scan.findings) {
            applied += f.waiver == static_cast<int>(w) ? 1 : 0;
        }
        if (!header) {
            out << '\n' << bold << L("Undantag (riskacceptans)", "Waivers (risk acceptance)") << reset
                << '\n';
            header = true;
        }
        out << "    " << pad(one_line(waiver.rule), 10) << ' ' << one_line(waiver.subject, 40) << "  "
            << one_line(waiver.decision_ref, 30) << "  " << L("t.o.m. ", "until ")
            << waiver.expires.to_string() << "  ";
        if (expired) {
            out << red << L("UTGÅNGET – ignoreras", "EXPIRED – ignored") << reset;
        } else {
            out << applied << L(" fynd undantagna", " findings waived");
        }
        out << '\n';
    }
}

}  // namespace lisa
