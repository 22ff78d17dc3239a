// SPDX-License-Identifier: Apache-2.0
#include "lisa/audit/audit.hpp"

#include <algorithm>
#include <filesystem>

#include "files.hpp"
#include "lisa/probes/document_probe.hpp"
#include "lisa/probes/register_builtin.hpp"

namespace lisa {
namespace {

using cli::dirname_of;
using cli::read_file;
using cli::rule_files;

// National figures and framework catalogues beside the rule pack: rules/benchmarks/*.yaml and
// rules/frameworks/*.yaml. Part of the pack: their hashes go into rule_pack_sha256.
void load_pack_data(AuditInputs& out, const std::string& rules_dir, std::string& manifest) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(rules_dir, ec)) {
        return;
    }
    std::string error;
    const fs::path bench = fs::path(rules_dir) / "benchmarks" / "socialstyrelsen.yaml";
    if (fs::exists(bench, ec)) {
        if (auto content = read_file(bench.string(), kMaxInputFileBytes, error)) {
            manifest += "benchmarks/socialstyrelsen.yaml " + sha256_hex(*content) + "\n";
            out.benchmarks = load_benchmarks({bench.string(), *content}, out.diagnostics);
        } else {
            out.diagnostics.error({bench.string(), 1, 1}, error);
        }
    }
    const auto frameworks = rule_files((fs::path(rules_dir) / "frameworks").string(), error);
    for (const auto& file : frameworks) {
        if (auto content = read_file(file, kMaxInputFileBytes, error)) {
            manifest += "frameworks/" + fs::path(file).filename().string() + " " + sha256_hex(*content) + "\n";
            out.frameworks.push_back(load_framework({file, *content}, out.diagnostics));
        } else {
            out.diagnostics.error({file, 1, 1}, error);
        }
    }
}

void load_rule_pack(AuditInputs& out, const std::string& rules_dir) {
    std::string error;
    const auto files = rule_files(rules_dir, error);
    if (!error.empty()) {
        out.diagnostics.error({rules_dir, 1, 1}, error);
        return;
    }
    std::vector<SourceText> sources;
    std::string manifest;
    for (const auto& file : files) {
        auto content = read_file(file, kMaxInputFileBytes, error);
        if (!content) {
            out.diagnostics.error({file, 1, 1}, error);
            continue;
        }
        manifest += std::filesystem::path(file).filename().string() + " " + sha256_hex(*content) + "\n";
        sources.push_back({file, std::move(*content)});
    }
    out.rules = load_rules(sources, out.catalog);
    out.diagnostics.append(out.rules.diagnostics);
    load_pack_data(out, rules_dir, manifest);
    out.rule_pack_sha256 = sha256_hex(manifest);
}

void load_inventory_file(AuditInputs& out, const std::string& path) {
    std::string error;
    auto content = read_file(path, kMaxInputFileBytes, error);
    if (!content) {
        out.diagnostics.error({path, 1, 1}, error);
        return;
    }
    out.inventory_sha256 = sha256_hex(*content);
    // Absolute, so evidence, CA and password paths resolve the same from any working directory.
    std::error_code ec;
    out.inventory_dir = std::filesystem::absolute(dirname_of(path), ec).lexically_normal().string();
    if (ec || out.inventory_dir.empty()) {
        out.inventory_dir = dirname_of(path);
    }
    while (out.inventory_dir.size() > 1 && out.inventory_dir.back() == '/') {
        out.inventory_dir.pop_back();
    }
    out.inventory = load_inventory({path, *content}, out.inventory_dir, out.diagnostics);
    out.inventory_file = path;
    out.inventory_repo_path = repository_path(path);
}

}  // namespace

std::string repository_path(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path file = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (ec || file.empty()) {
        return fs::path(path).filename().string();
    }
    // Bounded: one step per directory level of the path.
    for (fs::path dir = file.parent_path(); !dir.empty(); dir = dir.parent_path()) {
        if (fs::exists(dir / ".git", ec)) {
            return file.lexically_relative(dir).generic_string();
        }
        if (dir == dir.root_path()) {
            break;
        }
    }
    return file.filename().string();
}

std::unique_ptr<AuditInputs> load_audit(const std::string& inventory_path, const std::string& rules_dir) {
    auto out = std::make_unique<AuditInputs>();
    register_builtin_probes(out->registry);
    out->catalog = build_fact_catalog(out->registry);
    load_rule_pack(*out, rules_dir);
    if (!inventory_path.empty()) {
        load_inventory_file(*out, inventory_path);
        // Waivers naming no rule or subject (inventory.hpp): every problem in one run.
        std::vector<std::string> rule_ids;
        for (const auto& rule : out->rules.rules) {
            rule_ids.push_back(rule.id);
        }
        check_waivers(out->inventory, rule_ids, out->diagnostics);
    }
    return out;
}

void apply_parameters(AuditInputs& inputs, Date as_of) {
    apply_params(inputs.rules.rules, inputs.inventory.parameters, inputs.inventory.parameter_locations, as_of,
                 inputs.diagnostics);
}

std::unique_ptr<AuditRun> run_audit(AuditInputs& in, const ScanOptions& options, const RunStamp& stamp,
                                    const ProgressFn& progress) {
    auto run = std::make_unique<AuditRun>();
    run->scan = run_scan(in.inventory, in.rules, in.catalog, in.registry, options,
                         progress);
    Report& r = run->report;
    r.tool_version = stamp.tool_version;
    r.as_of = stamp.as_of;
    r.started = stamp.started;
    r.finished = stamp.finished;
    r.rule_pack_sha256 = in.rule_pack_sha256;
    r.inventory_sha256 = in.inventory_sha256;
    r.inventory_file = in.inventory_file;
    r.inventory_repo_path = in.inventory_repo_path;
    r.systems = options.systems;
    r.lang = stamp.lang;
    r.inventory = &in.inventory;
    r.rules = &in.rules;
    r.scan = &run->scan;
    r.score = compute_score(in.rules.rules, run->scan.findings);
    r.benchmarks = in.benchmarks ? &*in.benchmarks : nullptr;
    r.indicators = answer_indicators(in.rules, in.inventory, run->scan, r.benchmarks, options.as_of);
    for (const auto& fw : in.frameworks) {
        r.frameworks.push_back(framework_coverage(fw, in.rules, run->scan));
    }
    return run;
}

void add_trend(ReportDocument& doc, const std::vector<HistoryRun>& runs) {
    const auto put = [&doc](const TrendPoint& point) {
        const auto same = std::find_if(doc.trend.begin(), doc.trend.end(),
                                       [&](const TrendPoint& p) { return p.as_of == point.as_of; });
        if (same == doc.trend.end()) {
            doc.trend.push_back(point);
        } else {
            same->score = point.score;
            same->areas = point.areas;
        }
    };
    if (!doc.run.systems.empty()) {
        doc.trend.clear();  // a --system run has no place in the full-scope trend, nor one of its own
        return;
    }
    for (const auto& run : runs) {
        if (run.score && run.systems.empty() && run.as_of <= doc.run.as_of) {
            put({run.as_of, *run.score, run.area_scores});
        }
    }
    if (doc.score.overall.score) {
        TrendPoint self{doc.run.as_of, *doc.score.overall.score, {}};
        for (const auto& area : doc.score.areas) {
            if (area.result.score) {
                self.areas[area.result.id] = *area.result.score;
            }
        }
        put(self);
    }
    if (doc.trend.size() < 2) {
        doc.trend.clear();  // one point is the score itself: no trend to carry
    }
}

GateOutcome evaluate_gates(const ReportDocument& doc, const Gates& gates) {
    const auto& overall = doc.score.overall.score;
    bool failed = gates.fail_under && overall && *overall < *gates.fail_under;
    bool incomplete = false;
    for (const auto& f : doc.findings) {
        if (gates.fail_on && f.status == Status::Fail && f.severity >= *gates.fail_on) {
            failed = true;
        }
        const RuleEntry* rule = doc.find_rule(f.rule);
        if ((rule == nullptr || rule->scored) && f.status == Status::Error) {
            incomplete = true;
        }
    }
    return failed ? GateOutcome::Failed : incomplete ? GateOutcome::Incomplete : GateOutcome::Passed;
}

}  // namespace lisa
