// SPDX-License-Identifier: Apache-2.0
// build_report: the scan's inputs and outputs resolved into the typed report, once.
#include <algorithm>
#include <cctype>
#include <optional>

#include "lisa/report/report.hpp"

#include <filesystem>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace lisa {
namespace {

Value probed_value(const Facts& facts, const char* name) {
    const auto it = facts.find(name);
    return it == facts.end() ? Value() : it->second.value;
}

RunInfo run_info(const Report& r) {
    RunInfo run;
    run.tool_version = r.tool_version;
    run.as_of = r.as_of;
    run.started = r.started;
    run.finished = r.finished;
    run.rule_pack_sha256 = r.rule_pack_sha256;
    run.inventory_sha256 = r.inventory_sha256;
    run.systems = r.systems;
    run.complete = r.score.overall.by_status[static_cast<std::size_t>(Status::Error)] == 0;
    return run;
}

OrganizationInfo organization_info(const Inventory& inv) {
    OrganizationInfo org;
    org.name = inv.name;
    org.municipality_code = inv.municipality_code;
    org.population = inv.population;
    org.size_group = size_group_2023(inv.population);
    org.size_group_2021 = size_group_2021(inv.population);
    org.population_year = inv.population_year;
    org.drift = inv.drift;
    return org;
}

ScoreSummary score_summary(const Report& r) {
    ScoreSummary s;
    s.overall = r.score.overall;
    for (const auto& area : r.score.areas) {
        const AreaDef* def = r.rules->find_area(area.id);
        s.areas.push_back({area, def != nullptr ? std::optional<Text>(def->title) : std::nullopt});
    }
    return s;
}

/// "… +12 more" (ad::capped_names) or "...truncated 12 more" (capped_dn_list): the 12, else nullopt.
std::optional<std::int64_t> truncation_count(const std::string& item) {
    const bool marker = item.rfind("… +", 0) == 0 || item.rfind("...truncated ", 0) == 0;
    if (!marker) {
        return std::nullopt;
    }
    const auto digit = item.find_first_of("0123456789");
    if (digit == std::string::npos) {
        return 0;
    }
    std::int64_t n = 0;
    for (std::size_t i = digit; i < item.size() && std::isdigit(static_cast<unsigned char>(item[i])) != 0; ++i) {
        n = std::min<std::int64_t>(n * 10 + (item[i] - '0'), 1'000'000'000'000);
    }
    return n;
}

/// The accounts behind the count facts a failing finding read: the evaluator's `<fact>.accounts`
/// evidence beside each count (README "Personal data in reports").
void name_accounts(ReportFinding& out) {
    std::vector<std::string> names;
    std::int64_t more = 0;
    for (const auto& e : out.evidence) {
        if (!is_account_list(e.fact) || e.value.as_list() == nullptr) {
            continue;
        }
        for (const auto& item : *e.value.as_list()) {
            if (const auto n = truncation_count(item)) {
                more += *n;
            } else {
                names.push_back(item);
            }
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (names.size() > kReportAccountCap) {
        more += static_cast<std::int64_t>(names.size() - kReportAccountCap);
        names.resize(kReportAccountCap);
    }
    out.accounts = std::move(names);
    out.accounts_more = more;
}

/// `take`: move the message and evidence out of `f` (build_report's `consume`).
ReportFinding report_finding(const Report& r, const Finding& f, Finding* take) {
    const Inventory& inv = *r.inventory;
    const Rule& rule = r.rules->rules[static_cast<std::size_t>(f.rule)];
    const Subject& subject = inv.subjects[static_cast<std::size_t>(f.subject)];
    ReportFinding out;
    out.rule = rule.id;
    out.subject = subject.id;
    out.subject_kind = subject.kind;
    out.status = f.status;
    out.severity = rule.severity;
    out.area = rule.area;
    out.indicator = rule.indicator;
    out.title = rule.title;
    out.message = take != nullptr ? std::move(take->message) : f.message;
    out.result = take != nullptr ? std::move(take->detail) : f.detail;
    // The system the subject belongs to and its owner: who the action plan assigns it to.
    int sys = f.subject;
    while (sys >= 0 && inv.subjects[static_cast<std::size_t>(sys)].kind != SubjectKind::System) {
        sys = inv.subjects[static_cast<std::size_t>(sys)].parent;
    }
    if (sys >= 0) {
        const Subject& system = inv.subjects[static_cast<std::size_t>(sys)];
        out.system = system.id;
        const std::string owner = string_fact(system.facts, "system.owner");
        out.owner = owner.empty() ? std::nullopt : std::optional<std::string>(owner);
    } else {
        // Outside any system: the directory's owner (`directories[].owner`) for the directory and
        // its access groups, so page one and the action plan name who answers for them.
        int dir = f.subject;
        while (dir >= 0 && inv.subjects[static_cast<std::size_t>(dir)].kind != SubjectKind::Directory) {
            dir = inv.subjects[static_cast<std::size_t>(dir)].parent;
        }
        if (dir >= 0) {
            const std::string owner = string_fact(inv.subjects[static_cast<std::size_t>(dir)].facts, "directory.owner");
            out.owner = owner.empty() ? std::nullopt : std::optional<std::string>(owner);
        }
    }
    out.subject_name = subject.name;
    if (subject.location.line > 0) {
        out.declared_at = SourceLocation{subject.location.file == r.inventory_file && !r.inventory_repo_path.empty()
                                             ? r.inventory_repo_path
                                             : std::filesystem::path(subject.location.file).filename().string(),
                                         subject.location.line, subject.location.column};
    }
    out.evidence.reserve(f.evidence.size());
    if (take != nullptr) {
        for (auto& [name, fact] : take->evidence) {
            out.evidence.push_back({std::move(name), std::move(fact.value),
                                    std::string(to_string(fact.provenance)), std::move(fact.source)});
        }
        std::string().swap(take->message);
        std::vector<std::pair<std::string, Fact>>().swap(take->evidence);
    } else {
        for (const auto& [name, fact] : f.evidence) {
            out.evidence.push_back({name, fact.value, std::string(to_string(fact.provenance)), fact.source});
        }
    }
    if (f.status == Status::Fail || f.status == Status::Waived) {
        name_accounts(out);
    }
    if (f.waiver >= 0) {
        const Waiver& w = inv.waivers[static_cast<std::size_t>(f.waiver)];
        out.waiver = FindingWaiver{w.decision_ref, w.expires.to_string(), static_cast<std::size_t>(f.waiver)};
        out.unwaived_status = f.unwaived;
    }
    return out;
}

RuleEntry rule_entry(const Rule& rule) {
    return {rule.id,         rule.title,       rule.area,     rule.severity,
            std::string(to_string(rule.for_each)), rule.references, rule.remediation, rule.scored,
            rule.indicator,  rule.typed_references};
}

std::vector<EvidenceFile> evidence_files(const Report& r) {
    std::vector<EvidenceFile> files;
    const Inventory& inv = *r.inventory;
    for (std::size_t i = 0; i < inv.subjects.size(); ++i) {
        const Subject& s = inv.subjects[i];
        if (s.kind != SubjectKind::Document || !r.scan->selected[i]) {
            continue;
        }
        const Facts& probed = r.scan->probed[i];
        EvidenceFile f{s.id, string_fact(s.facts, "document.role"), string_fact(s.facts, "document.file"),
                       std::nullopt, std::nullopt};
        if (const Value exists = probed_value(probed, "document.exists"); exists.as_bool() != nullptr) {
            f.exists = *exists.as_bool();
        }
        if (const Value sha = probed_value(probed, "document.sha256"); sha.as_string() != nullptr) {
            f.sha256 = *sha.as_string();
        }
        files.push_back(std::move(f));
    }
    return files;
}

ReportFigure report_figure(const Figure& f) {
    ReportFigure out;
    out.year = f.year;
    out.n = f.n;
    out.distribution = f.distribution;
    out.source = f.source;
    out.notes = f.notes;
    out.notes_sv = f.notes_sv;
    out.scope = f.scope;
    out.group = f.group;
    return out;
}

IndicatorResult indicator_result(const Report& r, const IndicatorAnswer& a) {
    IndicatorResult out;
    out.id = a.id;
    for (const auto& def : r.rules->indicators) {
        if (def.id == a.id) {
            out.title = def.title;
        }
    }
    out.scope = a.scope;
    out.answer = a.answer;
    out.not_asked = a.not_asked;
    out.survey_year = a.survey_year;
    out.asked_about = a.period;
    if (a.share_percent) {
        out.share_percent = share_rounded(*a.share_percent);
    }
    for (auto c : a.caveats) {
        c.message = caveat_message(c, r.lang);
        out.caveats.push_back(std::move(c));
    }
    out.evidenced = a.answer.has_value() && !a.units.empty();
    out.complete = a.complete;
    out.units = a.units;
    out.by_provenance = a.by_provenance;
    out.measure_total = a.measure_total;
    out.measure_missing = a.measure_missing;
    if (a.national != nullptr) {
        out.national = report_figure(*a.national);
    }
    if (a.national_trend.size() > 1) {
        for (const Figure* f : a.national_trend) {
            out.national_trend.push_back(report_figure(*f));
        }
    }
    if (a.size_group != nullptr) {
        out.size_group = report_figure(*a.size_group);
        if (a.size_group_def != nullptr) {
            out.size_group->label = a.size_group_def->label;
        }
    }
    if (r.benchmarks != nullptr && !r.benchmarks->caveat_sv.empty()) {
        out.caveat = SourcedText{r.benchmarks->caveat_sv, r.benchmarks->caveat_source};
    }
    return out;
}

bool listed(const std::vector<int>& list, int index) {
    return std::find(list.begin(), list.end(), index) != list.end();
}

std::vector<WaiverRecord> waiver_records(const Report& r) {
    std::vector<WaiverRecord> out;
    const Inventory& inv = *r.inventory;
    for (std::size_t w = 0; w < inv.waivers.size(); ++w) {
        const Waiver& waiver = inv.waivers[w];
        WaiverRecord rec{waiver.rule, waiver.subject, waiver.reason, {waiver.decided_by, waiver.decision_ref},
                         waiver.expires.to_string(), WaiverState::Active, 0};
        const int index = static_cast<int>(w);
        rec.state = listed(r.scan->expired_waivers, index)  ? WaiverState::Expired
                    : listed(r.scan->unused_waivers, index) ? WaiverState::Unused
                                                            : WaiverState::Active;
        for (const auto& f : r.scan->findings) {
            rec.findings_waived += f.waiver == index ? 1 : 0;
        }
        out.push_back(std::move(rec));
    }
    return out;
}

/// The probe runs, their targets and errors moved out of `consume` when given.
std::vector<ProbeRecord> probe_records(const Report& r, ScanResult* consume) {
    std::vector<ProbeRecord> out;
    out.reserve(r.scan->probe_runs.size());
    for (std::size_t i = 0; i < r.scan->probe_runs.size(); ++i) {
        const ProbeRun& run = r.scan->probe_runs[i];
        const std::string& subject = r.inventory->subjects[static_cast<std::size_t>(run.subject)].id;
        if (consume != nullptr) {
            ProbeRun& taken = consume->probe_runs[i];
            out.push_back({run.probe, subject, std::move(taken.target), std::move(taken.error)});
        } else {
            out.push_back({run.probe, subject, run.target, run.error});
        }
    }
    return out;
}

}  // namespace

// With `consume`, every part of the scan is released once it has been read (report.hpp): the
// probed facts after the evidence files, the findings after their conversion, so at the end of
// the build the scan's results are held once, in the document.
ReportDocument build_report(const Report& r, ScanResult* consume) {
    if (consume != nullptr && consume != r.scan) {
        consume = nullptr;  // not the scan being reported: copy, never move from a stranger
    }
    ReportDocument doc;
    doc.run = run_info(r);
    doc.organization = organization_info(*r.inventory);
    doc.score = score_summary(r);
    doc.evidence_files = evidence_files(r);
    if (consume != nullptr) {
        std::vector<Facts>().swap(consume->probed);  // nothing below reads a probed fact
#if defined(__GLIBC__)
        // Much of what the probes' threads allocated sits in their own malloc arenas, which this
        // thread cannot reuse for the document: return the pages just freed (issue 15), when
        // there are enough of them to be worth a walk over every arena (see run_scan).
        if (mallinfo2().fordblks > kTrimWhenFreeBytes) {
            malloc_trim(0);
        }
#endif
    }
    doc.waivers = waiver_records(r);
    doc.probes = probe_records(r, consume);
    for (const auto& rule : r.rules->rules) {
        doc.rules.push_back(rule_entry(rule));
    }
    for (const auto& a : r.indicators) {
        doc.indicators.push_back(indicator_result(r, a));
    }
    doc.frameworks = r.frameworks;
    doc.trend = r.trend;
    doc.board_target = {r.inventory->target_score, r.inventory->amber_from};
    doc.findings.reserve(r.scan->findings.size());  // growth by doubling held ~2x at the peak
    for (std::size_t i = 0; i < r.scan->findings.size(); ++i) {
        doc.findings.push_back(report_finding(r, r.scan->findings[i],
                                              consume != nullptr ? &consume->findings[i] : nullptr));
    }
    if (consume != nullptr) {
        std::vector<Finding>().swap(consume->findings);
    }
    return doc;
}

}  // namespace lisa
