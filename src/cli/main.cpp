// SPDX-License-Identifier: Apache-2.0
// lisa: compliance scanner for Swedish municipalities. Parses the command line, runs one
// command, maps the outcome to an exit code (DESIGN §5).
#include <sys/resource.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "files.hpp"
#include "lisa/core/version.hpp"
#include "lisa/engine/scan.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/probes/document_probe.hpp"
#include "lisa/probes/register_builtin.hpp"
#include "lisa/report/benchmarks.hpp"
#include "lisa/report/diff.hpp"
#include "lisa/report/history.hpp"
#include "lisa/report/render.hpp"
#include "lisa/report/signature.hpp"
#include "lisa/report/report.hpp"
#include "lisa/rules/loader.hpp"

namespace po = boost::program_options;

namespace lisa::cli {
namespace {

enum ExitCode : int {
    kExitOk = 0,          ///< scan complete and gates passed
    kExitGateFailed = 1,  ///< a gate failed on findings
    kExitUsage = 2,       ///< usage error or invalid rules/inventory: nothing probed
    kExitIncomplete = 3,  ///< a scored rule ended in error (unless --allow-incomplete)
};

/// Command-line misuse: printed with a hint, exit 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

const char* const kUsage = R"(usage: lisa <command> [options]

commands:
  scan      --inventory FILE   probe the municipality's systems and write a scored report
  validate  --inventory FILE   check an inventory and a rule pack; every problem, file:line:col
  survey    --inventory FILE   Socialstyrelsen's survey questions answered from the evidence
  rules     list | show ID     show the rule pack
  probes                       list every fact a probe or the inventory provides
  probe     KIND TARGET        run one probe and print its facts as JSON
  history                      list the stored scans
  diff      [OLD NEW]          what changed between two scans (default: the last two)
  report    REPORT.json        render a saved report (or a history run id) as html, csv, junit, sarif
  verify    REPORT.json        check a report's detached signature
  version                      print the version

run 'lisa <command> --help' for the options of a command.
)";

std::string today_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::string now_iso() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Overwrites a string's bytes before it is released (signing keys).
void wipe_secret(std::string& s) {
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) {
        p[i] = 0;
    }
    s.clear();
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& desc,
                        const po::positional_options_description& positional = {}) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(desc).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    return vm;
}

bool wants_help(const po::variables_map& vm, const std::string& usage,
                const po::options_description& desc) {
    if (vm.count("help") == 0) {
        return false;
    }
    std::cout << usage << '\n' << desc;
    return true;
}

// The pack and the inventory, loaded and validated together.
struct Loaded {
    ProbeRegistry registry;
    FactCatalog catalog;
    RuleSet rules;
    Inventory inventory;
    Diagnostics diagnostics;
    std::string rule_pack_sha256;
    std::string inventory_sha256;
    std::string inventory_dir;
    std::optional<Benchmarks> benchmarks;
    std::vector<Framework> frameworks;
};

// National figures and framework catalogues beside the rule pack: rules/benchmarks/*.yaml and
// rules/frameworks/*.yaml. Part of the pack: their hashes go into rule_pack_sha256.
void load_pack_data(Loaded& out, const std::string& rules_dir, std::string& manifest) {
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

void load_rule_pack(Loaded& out, const std::string& rules_dir) {
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

void load_inventory_file(Loaded& out, const std::string& path) {
    std::string error;
    auto content = read_file(path, kMaxInputFileBytes, error);
    if (!content) {
        out.diagnostics.error({path, 1, 1}, error);
        return;
    }
    out.inventory_sha256 = sha256_hex(*content);
    // Absolute, so evidence, CA and password paths resolve the same from any working directory
    // and no probe resolves them a second time.
    std::error_code ec;
    out.inventory_dir = std::filesystem::absolute(dirname_of(path), ec).lexically_normal().string();
    if (ec || out.inventory_dir.empty()) {
        out.inventory_dir = dirname_of(path);
    }
    while (out.inventory_dir.size() > 1 && out.inventory_dir.back() == '/') {
        out.inventory_dir.pop_back();
    }
    out.inventory = load_inventory({path, *content}, out.inventory_dir, out.diagnostics);
}

std::unique_ptr<Loaded> load(const std::string& inventory, const std::string& rules_dir) {
    auto out = std::make_unique<Loaded>();
    register_builtin_probes(out->registry);
    out->catalog = build_fact_catalog(out->registry);
    load_rule_pack(*out, rules_dir);
    if (!inventory.empty()) {
        load_inventory_file(*out, inventory);
    }
    return out;
}

int print_diagnostics(Diagnostics& diagnostics) {
    diagnostics.sort();
    for (const auto& d : diagnostics.items()) {
        std::cerr << d.to_string() << '\n';
    }
    std::cerr << "lisa: " << diagnostics.items().size()
              << (diagnostics.items().size() == 1 ? " problem" : " problems") << " found\n";
    return kExitUsage;
}

std::optional<Date> parse_as_of(const po::variables_map& vm) {
    if (vm.count("as-of") == 0) {
        return std::nullopt;
    }
    const auto text = vm["as-of"].as<std::string>();
    auto d = Date::parse(text);
    if (!d) {
        throw UsageError("--as-of must be a date YYYY-MM-DD, not '" + text + "'");
    }
    return d;
}

// ---------------------------------------------------------------------------------------------

int cmd_validate(const std::vector<std::string>& args, const char* argv0) {
    po::options_description desc("validate options");
    desc.add_options()("help,h", "show this help")(
        "inventory,i", po::value<std::string>(), "inventory file (YAML)")(
        "rules,r", po::value<std::string>(), "rule pack directory or file (default: the shipped pack)")(
        "as-of", po::value<std::string>(), "date parameters are checked against (YYYY-MM-DD)");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa validate [--inventory FILE] [--rules DIR]", desc)) {
        return kExitOk;
    }
    const std::string rules_dir =
        vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir(argv0);
    const std::string inventory = vm.count("inventory") ? vm["inventory"].as<std::string>() : "";
    auto loaded = load(inventory, rules_dir);
    const Date as_of = parse_as_of(vm).value_or(*Date::parse(today_utc()));
    if (!inventory.empty() && loaded->diagnostics.empty()) {
        apply_params(loaded->rules.rules, loaded->inventory.parameters,
                     loaded->inventory.parameter_locations, as_of, loaded->diagnostics);
    }
    if (!loaded->diagnostics.empty()) {
        return print_diagnostics(loaded->diagnostics);
    }
    std::cout << "ok: " << loaded->rules.rules.size() << " rules";
    if (!inventory.empty()) {
        std::cout << ", " << loaded->inventory.subjects.size() << " subjects, "
                  << loaded->inventory.waivers.size() << " waivers";
    }
    std::cout << '\n';
    return kExitOk;
}

// Every output format, the file name it gets in --output-dir, and whether it renders from JSON.
struct FormatInfo {
    const char* name;
    const char* file;
};
constexpr FormatInfo kFormats[] = {
    {"text", "report.txt"},        {"json", "report.json"},   {"html", "report.html"},
    {"junit", "report.junit.xml"}, {"sarif", "report.sarif"}, {"csv", "findings.csv"},
    {"actionplan-csv", "actionplan.csv"},
};

const FormatInfo* format_info(const std::string& name) {
    for (const auto& f : kFormats) {
        if (name == f.name) {
            return &f;
        }
    }
    return nullptr;
}

std::string format_names() {
    std::string out;
    for (const auto& f : kFormats) {
        out += (out.empty() ? "" : "|") + std::string(f.name);
    }
    return out;
}

// Renders a JSON-derived format (everything but text and json).
std::string render_from_json(const std::string& format, const ReportJson& doc, const RenderOptions& options) {
    std::ostringstream out;
    if (format == "html") {
        render_html(doc, options, out);
    } else if (format == "junit") {
        render_junit(doc, options, out);
    } else if (format == "sarif") {
        render_sarif(doc, options, out);
    } else if (format == "csv") {
        render_csv(doc, options, out);
    } else if (format == "actionplan-csv") {
        render_actionplan_csv(doc, options, out);
    } else {
        throw std::logic_error("no renderer for format " + format);
    }
    return out.str();
}

std::vector<std::string> checked_formats(const po::variables_map& vm, const std::string& fallback) {
    std::vector<std::string> formats = vm.count("format") ? vm["format"].as<std::vector<std::string>>()
                                                          : std::vector<std::string>{fallback};
    for (const auto& f : formats) {
        if (format_info(f) == nullptr) {
            throw UsageError("unknown --format '" + f + "' (expected " + format_names() + ")");
        }
    }
    std::sort(formats.begin(), formats.end());
    formats.erase(std::unique(formats.begin(), formats.end()), formats.end());
    const auto file_formats = std::count_if(formats.begin(), formats.end(),
                                            [](const std::string& f) { return f != "text"; });
    if (vm.count("output") && vm.count("output-dir")) {
        throw UsageError("give --output or --output-dir, not both");
    }
    if (vm.count("output") && file_formats != 1) {
        throw UsageError("--output takes exactly one non-text --format; use --output-dir for several");
    }
    if (!vm.count("output") && !vm.count("output-dir") && file_formats > 1) {
        throw UsageError("several non-text formats need --output-dir DIR");
    }
    return formats;
}

// Writes each format: to --output, into --output-dir, or to stdout. Returns the path the JSON
// report went to (for --sign), or empty.
std::string write_outputs(const po::variables_map& vm, const std::vector<std::string>& formats,
                          const std::function<std::string(const std::string&)>& produce) {
    std::string json_path;
    if (vm.count("output-dir")) {
        std::error_code ec;
        std::filesystem::create_directories(vm["output-dir"].as<std::string>(), ec);
    }
    for (const auto& format : formats) {
        const std::string content = produce(format);
        std::string path;
        if (vm.count("output-dir")) {
            path = vm["output-dir"].as<std::string>() + "/" + format_info(format)->file;
        } else if (vm.count("output") && format != "text") {
            path = vm["output"].as<std::string>();
        }
        if (format == "text") {
            std::cout << content << std::flush;  // the summary always goes to the terminal
            if (path.empty()) {
                continue;
            }
        }
        if (path.empty()) {
            std::cout << content << std::flush;
            continue;
        }
        std::string error;
        if (!write_atomic(path, content, error)) {
            throw UsageError(error);
        }
        if (format == "json") {
            json_path = path;
        }
    }
    return json_path;
}

// `lisa survey`: the answers as Socialstyrelsen's questionnaire asks them, ready to paste.
void write_survey(const Report& r, std::ostream& out) {
    const bool en = r.lang == "en";
    out << (en ? "Socialstyrelsen survey, e-health and welfare technology in the municipalities — "
               : "Socialstyrelsens enkät E-hälsa och välfärdsteknik i kommunerna — ")
        << r.inventory->name << ", " << (en ? "as of " : "per ") << r.as_of << "\n"
        << (en ? "Answers derived from lisa's evidence; \"not evidenced\" means lisa has no evidence "
                 "to answer from and will not guess.\n"
               : "Svaren är härledda ur lisas bevis; \"ej belagt\" betyder att underlag saknas och att "
                 "lisa inte gissar.\n");
    std::string last;
    for (const auto& a : r.indicators) {
        const IndicatorDef* def = nullptr;
        for (const auto& d : r.rules->indicators) {
            if (d.id == a.id) {
                def = &d;
            }
        }
        if (def == nullptr) {
            continue;
        }
        if (a.id != last) {
            out << "\n" << a.id << "  " << def->title.in(r.lang) << "\n";
            if (!def->question_sv.empty()) {
                out << "  \"" << def->question_sv << "\"\n";
            }
            std::vector<std::string> alternatives;
            if (r.benchmarks != nullptr) {
                const auto it = r.benchmarks->indicators.find(a.id);
                if (it != r.benchmarks->indicators.end()) {
                    alternatives = it->second.answers;
                }
            }
            if (alternatives.empty()) {
                alternatives = {def->answer_none, def->answer_some, def->answer_all};
            }
            out << "  " << (en ? "Alternatives: " : "Svarsalternativ: ");
            for (std::size_t i = 0; i < alternatives.size(); ++i) {
                out << (i ? " / " : "") << alternatives[i];
            }
            out << "\n";
            last = a.id;
        }
        out << "  " << (a.scope.empty() ? std::string(en ? "Answer" : "Svar") : a.scope) << ": "
            << (a.answer ? *a.answer : std::string(en ? "not evidenced" : "ej belagt"))
            << (a.complete ? "" : (en ? " (incomplete: some checks could not run)" : " (ofullständigt: vissa kontroller kunde inte köras)"))
            << "\n";
        for (const auto& u : a.units) {
            out << "      " << (u.verdict == "pass" ? "+ " : u.verdict == "fail" ? "- " : "? ") << u.subject;
            if (!u.provenance.empty()) {
                out << " [" << u.provenance << "]";
            }
            if (!u.failing_rules.empty()) {
                out << " " << (en ? "fails " : "underkänd i ");
                for (std::size_t i = 0; i < u.failing_rules.size(); ++i) {
                    out << (i ? ", " : "") << u.failing_rules[i];
                }
            }
            if (u.verdict == "error") {
                out << (en ? " could not be checked" : " kunde inte kontrolleras");
            }
            out << "\n";
        }
    }
}

int cmd_scan(const std::vector<std::string>& args, const char* argv0, bool survey_mode = false) {
    po::options_description desc("scan options");
    desc.add_options()("help,h", "show this help")(
        "inventory,i", po::value<std::string>()->required(), "inventory file (YAML)")(
        "rules,r", po::value<std::string>(), "rule pack directory or file (default: the shipped pack)")(
        "as-of", po::value<std::string>(),
        "audit date YYYY-MM-DD; fixes every date in the report (default: today, UTC)")(
        "format,f", po::value<std::vector<std::string>>(),
        "report format, repeatable: text|json|html|junit|sarif|csv|actionplan-csv")(
        "output,o", po::value<std::string>(), "write the (non-text) report to this file, atomically")(
        "output-dir", po::value<std::string>(), "write every format into this directory")(
        "history", po::value<std::string>(), "history database (default $LISA_HISTORY or ~/.local/share/lisa/history.db)")(
        "no-history", po::bool_switch(), "do not store this scan in the history")(
        "sign", po::value<std::string>(), "sign the JSON report with this private key (PEM); writes REPORT.sig")(
        "system,s", po::value<std::vector<std::string>>(), "scan only this system and its parts (repeatable)")(
        "fail-under", po::value<double>(), "exit 1 when the overall score is below N")(
        "fail-on", po::value<std::string>(), "exit 1 when a rule of this severity or worse fails")(
        "allow-incomplete", po::bool_switch(), "do not exit 3 when some checks could not run")(
        "concurrency", po::value<unsigned>()->default_value(8), "probe calls at once")(
        "per-host", po::value<unsigned>()->default_value(2), "probe calls at once against one host (politeness)")(
        "timeout", po::value<double>()->default_value(5.0), "seconds per network operation")(
        "lang", po::value<std::string>()->default_value("sv"), "report language: sv|en")(
        "color", po::value<std::string>()->default_value("auto"), "terminal colours: auto|always|never");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa scan --inventory FILE [options]", desc)) {
        return kExitOk;
    }
    const std::vector<std::string> formats = checked_formats(vm, "text");
    std::string signing_key;
    if (vm.count("sign")) {
        if (std::find(formats.begin(), formats.end(), "json") == formats.end() ||
            (!vm.count("output") && !vm.count("output-dir"))) {
            throw UsageError("--sign signs the JSON report: add --format json and --output or --output-dir");
        }
        std::string error;
        auto key = read_file(vm["sign"].as<std::string>(), 1 << 20, error);
        if (!key) {
            throw UsageError("cannot read the signing key " + vm["sign"].as<std::string>() + ": " + error);
        }
        signing_key = std::move(*key);
    }
    const std::string lang = vm["lang"].as<std::string>();
    if (lang != "sv" && lang != "en") {
        throw UsageError("--lang must be sv or en");
    }
    std::optional<Severity> fail_on;
    if (vm.count("fail-on")) {
        fail_on = severity_from_string(vm["fail-on"].as<std::string>());
        if (!fail_on) {
            throw UsageError("--fail-on must be info|low|medium|high|critical");
        }
    }
    const double timeout = vm["timeout"].as<double>();
    if (!(timeout > 0 && timeout <= 600)) {
        throw UsageError("--timeout must be between 0 and 600 seconds");
    }
    const unsigned concurrency = vm["concurrency"].as<unsigned>();
    if (concurrency < 1 || concurrency > 256) {
        throw UsageError("--concurrency must be between 1 and 256");
    }
    const auto as_of_given = parse_as_of(vm);
    const std::string as_of_text = as_of_given ? as_of_given->to_string() : today_utc();
    const Date as_of = *Date::parse(as_of_text);
    const std::string started = as_of_given ? as_of_text + "T00:00:00Z" : now_iso();

    const std::string rules_dir =
        vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir(argv0);
    auto loaded = load(vm["inventory"].as<std::string>(), rules_dir);
    if (loaded->diagnostics.empty()) {
        apply_params(loaded->rules.rules, loaded->inventory.parameters,
                     loaded->inventory.parameter_locations, as_of, loaded->diagnostics);
    }
    ScanOptions options;
    options.as_of = as_of;
    options.concurrency = concurrency;
    options.per_host = vm["per-host"].as<unsigned>();
    if (options.per_host < 1 || options.per_host > 64) {
        throw UsageError("--per-host must be between 1 and 64");
    }
    options.timeout = std::chrono::milliseconds(static_cast<long>(timeout * 1000));
    options.base_dir = loaded->inventory_dir;
    if (vm.count("system")) {
        options.systems = vm["system"].as<std::vector<std::string>>();
        for (const auto& id : options.systems) {
            if (loaded->diagnostics.empty() && loaded->inventory.find(SubjectKind::System, id) < 0) {
                throw UsageError("unknown system '" + id + "' (not in the inventory)");
            }
        }
    }
    if (!loaded->diagnostics.empty()) {
        return print_diagnostics(loaded->diagnostics);
    }

    const bool tty = ::isatty(STDERR_FILENO) != 0;
    ProgressFn progress;
    if (tty) {
        progress = [](std::size_t done, std::size_t total, const std::string& target) {
            std::cerr << "\r\033[K[" << done << "/" << total << "] " << target.substr(0, 60)
                      << std::flush;
        };
    }
    ScanResult scan = run_scan(loaded->inventory, loaded->rules, loaded->catalog, loaded->registry,
                               options, progress);
    if (tty && !scan.probe_runs.empty()) {
        std::cerr << "\r\033[K" << std::flush;
    }

    Report report;
    report.tool_version = kVersion;
    report.as_of = as_of_text;
    report.started = started;
    report.finished = as_of_given ? started : now_iso();
    report.rule_pack_sha256 = loaded->rule_pack_sha256;
    report.inventory_sha256 = loaded->inventory_sha256;
    report.systems = options.systems;
    report.lang = lang;
    report.inventory = &loaded->inventory;
    report.rules = &loaded->rules;
    report.scan = &scan;
    report.score = compute_score(loaded->rules.rules, scan.findings);
    report.benchmarks = loaded->benchmarks ? &*loaded->benchmarks : nullptr;
    report.indicators = answer_indicators(loaded->rules, loaded->inventory, scan, report.benchmarks);
    for (const auto& fw : loaded->frameworks) {
        report.frameworks.push_back(framework_coverage(fw, loaded->rules, scan));
    }
    if (survey_mode) {
        write_survey(report, std::cout);
        return kExitOk;
    }

    const std::string color = vm["color"].as<std::string>();
    const bool use_color = color == "always" || (color == "auto" && ::isatty(STDOUT_FILENO) != 0);
    std::ostringstream json_out;
    JsonReportWriter().write(report, json_out);
    const std::string json_text = json_out.str();
    const ReportJson doc = ReportJson::parse(json_text);

    // History first: the trend of the HTML report includes the earlier audits.
    RenderOptions render_options;
    render_options.lang = lang;
    if (!vm["no-history"].as<bool>()) {
        const std::string path = vm.count("history") ? vm["history"].as<std::string>() : default_history_path();
        auto store = HistoryStore::open(path);
        auto added = store ? store.value()->add(json_text) : Result<std::int64_t>(store.error());
        if (!added) {
            std::cerr << "lisa: warning: scan not stored in the history: " << added.error().message << '\n';
        } else if (auto runs = store.value()->runs(loaded->inventory.name)) {
            for (const auto& run : runs.value()) {
                if (run.score && run.systems.empty()) {
                    render_options.trend.push_back({run.as_of, *run.score});
                }
            }
        }
    }
    try {
        const std::string json_path = write_outputs(vm, formats, [&](const std::string& format) {
            if (format == "json") {
                return json_text;
            }
            if (format == "text") {
                std::ostringstream out;
                TextReportWriter(use_color).write(report, out);
                return out.str();
            }
            return render_from_json(format, doc, render_options);
        });
        if (!signing_key.empty()) {
            auto signature = sign_detached(json_text, signing_key);
            wipe_secret(signing_key);
            if (!signature) {
                std::cerr << "lisa: " << signature.error().message << '\n';
                return kExitUsage;
            }
            std::string error;
            if (!write_atomic(json_path + ".sig", signature.value() + "\n", error)) {
                std::cerr << "lisa: " << error << '\n';
                return kExitUsage;
            }
        }
    } catch (const UsageError& e) {
        std::cerr << "lisa: " << e.what() << '\n';
        return kExitUsage;
    }

    // Gates. A failed gate (1) outranks an incomplete scan (3): it is known non-compliance.
    bool gate_failed = false;
    if (vm.count("fail-under") && report.score.overall.score &&
        *report.score.overall.score < vm["fail-under"].as<double>()) {
        gate_failed = true;
    }
    bool incomplete = false;
    for (const auto& f : scan.findings) {
        const Rule& rule = loaded->rules.rules[static_cast<std::size_t>(f.rule)];
        if (fail_on && f.status == Status::Fail && rule.severity >= *fail_on) {
            gate_failed = true;
        }
        if (rule.scored && f.status == Status::Error) {
            incomplete = true;
        }
    }
    if (gate_failed) {
        return kExitGateFailed;
    }
    if (incomplete && !vm["allow-incomplete"].as<bool>()) {
        std::cerr << "lisa: scan incomplete: some checks could not run (see 'error' findings); "
                     "--allow-incomplete accepts that\n";
        return kExitIncomplete;
    }
    return kExitOk;
}

std::string render_condition(const Condition& c, int indent) {
    const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
    if (c.kind == Condition::Kind::Compare) {
        std::string operand = c.param.empty() ? c.operand.to_display() : "$" + c.param;
        return pad + c.fact + " " + std::string(to_string(c.op)) + " " + operand + "\n";
    }
    std::string out = pad + (c.kind == Condition::Kind::All   ? "all:"
                             : c.kind == Condition::Kind::Any ? "any:"
                                                              : "none:") + "\n";
    for (const auto& child : c.children) {
        out += render_condition(child, indent + 1);
    }
    return out;
}

int cmd_rules(const std::vector<std::string>& args, const char* argv0) {
    po::options_description desc("rules options");
    desc.add_options()("help,h", "show this help")(
        "rules,r", po::value<std::string>(), "rule pack directory or file")(
        "lang", po::value<std::string>()->default_value("sv"), "title language: sv|en")(
        "action", po::value<std::string>(), "list | show")("id", po::value<std::string>(), "rule id");
    po::positional_options_description pos;
    pos.add("action", 1).add("id", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa rules list | lisa rules show ID", desc)) {
        return kExitOk;
    }
    const std::string action = vm.count("action") ? vm["action"].as<std::string>() : "list";
    if (action != "list" && action != "show") {
        throw UsageError("lisa rules takes 'list' or 'show ID'");
    }
    const std::string rules_dir =
        vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir(argv0);
    auto loaded = load("", rules_dir);
    if (!loaded->diagnostics.empty()) {
        return print_diagnostics(loaded->diagnostics);
    }
    const std::string lang = vm["lang"].as<std::string>();
    if (action == "list") {
        std::cout << std::left << std::setw(12) << "ID" << std::setw(16) << "AREA" << std::setw(10)
                  << "SEVERITY" << std::setw(14) << "FOR EACH" << "TITLE\n";
        for (const auto& rule : loaded->rules.rules) {
            std::cout << std::left << std::setw(12) << rule.id << std::setw(16) << rule.area
                      << std::setw(10) << to_string(rule.severity) << std::setw(14)
                      << to_string(rule.for_each) << rule.title.in(lang) << '\n';
        }
        std::cout << loaded->rules.rules.size() << " rules\n";
        return kExitOk;
    }
    if (!vm.count("id")) {
        throw UsageError("lisa rules show needs a rule id");
    }
    const Rule* rule = loaded->rules.find(vm["id"].as<std::string>());
    if (rule == nullptr) {
        std::cerr << "lisa: no rule '" << vm["id"].as<std::string>() << "' in " << rules_dir << '\n';
        return kExitUsage;
    }
    std::cout << rule->id << "  [" << to_string(rule->severity) << ", " << rule->area << "]\n"
              << "  sv: " << rule->title.sv << "\n  en: " << rule->title.en << "\n"
              << "for each: " << to_string(rule->for_each) << '\n';
    if (!rule->indicator.empty()) {
        std::cout << "indicator: " << rule->indicator << '\n';
    }
    if (rule->require) {
        std::cout << "requires: " << to_string(*rule->require) << " evidence\n";
    }
    if (!rule->references.empty()) {
        std::cout << "references:\n";
        for (const auto& ref : rule->references) {
            std::cout << "  - " << ref << '\n';
        }
    }
    if (!rule->params.empty()) {
        std::cout << "parameters:\n";
        for (const auto& [name, value] : rule->params) {
            std::cout << "  " << name << " = " << value.to_display() << '\n';
        }
    }
    if (rule->where) {
        std::cout << "where:\n" << render_condition(*rule->where, 1);
    }
    std::cout << "expect:\n" << render_condition(rule->expect, 1);
    std::cout << "remediation:\n  sv: " << rule->remediation.sv << "\n  en: " << rule->remediation.en
              << '\n'
              << "defined at " << rule->location.file << ":" << rule->location.line << '\n';
    return kExitOk;
}

int cmd_probes(const std::vector<std::string>& args) {
    po::options_description desc("probes options");
    desc.add_options()("help,h", "show this help");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa probes", desc)) {
        return kExitOk;
    }
    ProbeRegistry registry;
    register_builtin_probes(registry);
    const FactCatalog catalog = build_fact_catalog(registry);
    std::string provider;
    for (const auto& probe : registry.probes()) {
        std::cout << "probe " << probe->spec().kind << ": " << probe->spec().description << '\n';
    }
    std::cout << '\n' << std::left << std::setw(44) << "FACT" << std::setw(9) << "TYPE"
              << std::setw(11) << "PROVIDER" << "MEANING\n";
    for (const auto& info : catalog.all()) {
        std::cout << std::left << std::setw(44) << info.name << std::setw(9) << to_string(info.type)
                  << std::setw(11) << info.provider << info.meaning << '\n';
    }
    return kExitOk;
}

int cmd_probe(const std::vector<std::string>& args) {
    po::options_description desc("probe options");
    desc.add_options()("help,h", "show this help")("kind", po::value<std::string>(), "probe kind")(
        "target", po::value<std::string>(), "what to probe")(
        "sni", po::value<std::string>(), "tls: server name")(
        "ca-file", po::value<std::string>(), "tls/http/ldap/document URL: CA bundle to verify against")(
        "starttls", po::bool_switch(), "tls/ldap: upgrade with STARTTLS")(
        "http-url", po::value<std::string>(), "http: plain-http twin to check the redirect")(
        "idp", po::value<std::string>(), "http: OIDC issuer to read discovery from")(
        "base", po::value<std::string>(), "ldap: search base DN")(
        "bind-dn", po::value<std::string>(), "ldap: bind DN")(
        "password-env", po::value<std::string>(), "ldap: environment variable with the bind password")(
        "password-file", po::value<std::string>(), "ldap: file with the bind password")(
        "flavour", po::value<std::string>()->default_value("active_directory"), "ldap: active_directory|openldap")(
        "group", po::value<std::vector<std::string>>(), "ldap: access group DN (repeatable)")(
        "mfa-group", po::value<std::vector<std::string>>(), "ldap: MFA group DN (repeatable)")(
        "shared-marker", po::value<std::string>(), "ldap: ATTR=VALUE marking shared accounts")(
        "strong-auth-attribute", po::value<std::string>(), "ldap: ATTR=VALUE marking strong authentication")(
        "stale-days", po::value<int>()->default_value(90), "ldap: days without logon that make an account stale")(
        "as-of", po::value<std::string>(), "date for expiry and age facts (default today)")(
        "timeout", po::value<double>()->default_value(5.0), "seconds per network operation");
    po::positional_options_description pos;
    pos.add("kind", 1).add("target", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa probe KIND TARGET [options]   (kinds: tls HOST:PORT, http URL, "
                       "ldap URL, document PATH or https:// URL)", desc)) {
        return kExitOk;
    }
    if (!vm.count("kind") || !vm.count("target")) {
        throw UsageError("lisa probe needs a KIND and a TARGET");
    }
    const std::string kind = vm["kind"].as<std::string>();
    const std::string target = vm["target"].as<std::string>();
    ProbeRegistry registry;
    register_builtin_probes(registry);
    Probe* probe = registry.find(kind);
    if (probe == nullptr) {
        std::string kinds;
        for (const auto& p : registry.probes()) {
            kinds += (kinds.empty() ? "" : "|") + p->spec().kind;
        }
        throw UsageError("unknown probe kind '" + kind + "' (expected " + kinds + ")");
    }
    const std::string date = vm.count("as-of") ? vm["as-of"].as<std::string>() : today_utc();
    const auto as_of = Date::parse(date);
    if (!as_of) {
        throw UsageError("--as-of must be a date YYYY-MM-DD");
    }
    // A one-subject inventory written from the options, so the probe sees what a scan gives it.
    std::string yaml = "organization: { name: probe, population: 0 }\n";
    auto q = [](const std::string& s) {
        std::string out = "\"";
        for (const char c : s) {
            if (c == '"' || c == '\\') {
                out += '\\';
            }
            out += c;
        }
        return out + "\"";
    };
    const auto opt = [&](const char* name) {
        return vm.count(name) ? vm[name].as<std::string>() : std::string();
    };
    SubjectKind subject_kind = SubjectKind::Endpoint;
    if (kind == "tls" || kind == "http") {
        std::string url = target;
        if (url.find("://") == std::string::npos) {
            url = (kind == "tls" ? "tls://" : "https://") + url;
        }
        yaml += "systems:\n  - id: probe\n    name: probe\n    verksamhetsomraden: [\"Barn och unga\"]\n"
                "    roles: [utförare]\n    personal_data: false\n    sensitive_personal_data: false\n"
                "    endpoints:\n      - id: target\n        exposure: external\n        url: " + q(url) + "\n";
        if (vm.count("sni")) yaml += "        sni: " + q(opt("sni")) + "\n";
        if (vm.count("ca-file")) yaml += "        ca_file: " + q(std::filesystem::absolute(opt("ca-file")).string()) + "\n";
        if (vm["starttls"].as<bool>()) yaml += "        starttls: true\n";
        if (vm.count("http-url")) yaml += "        http_url: " + q(opt("http-url")) + "\n";
        if (vm.count("idp")) yaml += "        idp: " + q(opt("idp")) + "\n";
    } else if (kind == "ldap") {
        subject_kind = SubjectKind::Directory;
        yaml += "directories:\n  - id: target\n    url: " + q(target) + "\n    base_dn: " + q(opt("base")) +
                "\n    flavour: " + q(opt("flavour")) + "\n    stale_days: " +
                std::to_string(vm["stale-days"].as<int>()) + "\n";
        if (vm.count("bind-dn")) yaml += "    bind_dn: " + q(opt("bind-dn")) + "\n";
        if (vm.count("password-env")) yaml += "    password_env: " + q(opt("password-env")) + "\n";
        if (vm.count("password-file")) yaml += "    password_file: " + q(std::filesystem::absolute(opt("password-file")).string()) + "\n";
        if (vm.count("ca-file")) yaml += "    ca_file: " + q(std::filesystem::absolute(opt("ca-file")).string()) + "\n";
        if (vm["starttls"].as<bool>()) yaml += "    starttls: true\n";
        if (vm.count("shared-marker")) yaml += "    shared_marker: " + q(opt("shared-marker")) + "\n";
        yaml += "    strong_auth:\n      mfa_groups: [";
        if (vm.count("mfa-group")) {
            const auto groups = vm["mfa-group"].as<std::vector<std::string>>();
            for (std::size_t i = 0; i < groups.size(); ++i) yaml += (i ? ", " : "") + q(groups[i]);
        }
        yaml += "]\n";
        if (vm.count("strong-auth-attribute")) yaml += "      attribute: " + q(opt("strong-auth-attribute")) + "\n";
        if (vm.count("group")) {
            yaml += "    privileged_groups:\n";
            const auto groups = vm["group"].as<std::vector<std::string>>();
            for (std::size_t i = 0; i < groups.size(); ++i) {
                yaml += "      - { id: g" + std::to_string(i + 1) + ", dn: " + q(groups[i]) + ", privileged: false }\n";
            }
        }
    } else if (kind == "document") {
        subject_kind = SubjectKind::Document;
        if (target.rfind("https://", 0) == 0) {
            // A published document: fetched over verified HTTPS (--ca-file for a private CA).
            yaml += "isms:\n  documents:\n    - { id: target, role: evidence, url: " + q(target);
            if (vm.count("ca-file")) yaml += ", ca_file: " + q(std::filesystem::absolute(opt("ca-file")).string());
            yaml += " }\n";
        } else {
            yaml += "isms:\n  documents:\n    - { id: target, role: evidence, path: " +
                    q(std::filesystem::absolute(target).string()) + " }\n";
        }
    }
    Diagnostics diags;
    const Inventory inv = load_inventory({"<probe options>", yaml}, ".", diags);
    if (!diags.empty()) {
        std::string text;
        for (const auto& d : diags.items()) {
            text += (text.empty() ? "" : "; ") + d.message;
        }
        throw UsageError("invalid probe options: " + text);
    }
    const int index = inv.find(subject_kind, subject_kind == SubjectKind::Endpoint ? "probe/target" : "target");
    if (index < 0) {
        throw UsageError("cannot build a subject for probe '" + kind + "'");
    }
    ProbeContext context;
    context.as_of = *as_of;
    context.timeout = std::chrono::milliseconds(static_cast<long>(vm["timeout"].as<double>() * 1000));
    const Facts visible = visible_declared(inv.subjects, index);
    const ProbeRequest request{inv.subjects[static_cast<std::size_t>(index)], index, visible,
                               inv.subjects, context};
    if (!probe->applies_to(request)) {
        throw UsageError("probe '" + kind + "' does not apply to '" + target + "'");
    }
    const auto result = probe->collect(request);
    if (!result) {
        write_probe_json(target, {}, result.error().message, std::cout);
        return kExitIncomplete;
    }
    Facts facts = result.value().facts;
    for (const auto& [i, related] : result.value().related) {
        const std::string prefix = "group[" + inv.subjects[static_cast<std::size_t>(i)].id + "].";
        for (const auto& [name, fact] : related) {
            facts.emplace(prefix + name, fact);
        }
    }
    write_probe_json(target, facts, result.value().error, std::cout);
    return result.value().error.empty() ? kExitOk : kExitIncomplete;
}

std::string history_path(const po::variables_map& vm) {
    return vm.count("history") ? vm["history"].as<std::string>() : default_history_path();
}

std::unique_ptr<HistoryStore> open_history(const po::variables_map& vm) {
    auto store = HistoryStore::open(history_path(vm));
    if (!store) {
        throw UsageError(store.error().message);
    }
    return std::move(store).value();
}

int cmd_history(const std::vector<std::string>& args) {
    po::options_description desc("history options");
    desc.add_options()("help,h", "show this help")(
        "history", po::value<std::string>(), "history database")(
        "organization", po::value<std::string>(), "only this organisation's runs");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa history [--history PATH] [--organization NAME]", desc)) {
        return kExitOk;
    }
    auto store = open_history(vm);
    auto runs = store->runs(vm.count("organization") ? vm["organization"].as<std::string>() : "");
    if (!runs) {
        throw UsageError(runs.error().message);
    }
    std::cout << std::left << std::setw(6) << "RUN" << std::setw(12) << "AS OF" << std::setw(22) << "STARTED"
              << std::setw(24) << "ORGANIZATION" << std::setw(8) << "SCORE" << std::setw(10) << "COVERAGE"
              << "PASS FAIL ERROR WAIVED  SYSTEMS\n";
    for (const auto& r : runs.value()) {
        char score[16] = "–";
        if (r.score) {
            std::snprintf(score, sizeof score, "%.1f", *r.score);
        }
        char coverage[16];
        std::snprintf(coverage, sizeof coverage, "%.0f %%", r.coverage * 100);
        std::cout << std::left << std::setw(6) << r.id << std::setw(12) << r.as_of << std::setw(22) << r.started
                  << std::setw(24) << r.organization.substr(0, 23) << std::setw(8) << score << std::setw(10)
                  << coverage << std::setw(5) << r.pass << std::setw(5) << r.fail << std::setw(6) << r.error
                  << std::setw(8) << r.waived << (r.systems.empty() ? "all" : r.systems) << '\n';
    }
    std::cout << runs.value().size() << " runs in " << history_path(vm) << '\n';
    return kExitOk;
}

// A report named on the command line: a run id of the history, or a JSON file.
ReportJson load_report_arg(const std::string& arg, const po::variables_map& vm) {
    const bool is_id = !arg.empty() && std::all_of(arg.begin(), arg.end(), ::isdigit);
    std::string text;
    if (is_id) {
        auto json = open_history(vm)->report(std::stoll(arg));
        if (!json) {
            throw UsageError(json.error().message);
        }
        text = json.value();
    } else {
        std::string error;
        auto content = read_file(arg, 256 << 20, error);
        if (!content) {
            throw UsageError("cannot read " + arg + ": " + error);
        }
        text = std::move(*content);
    }
    try {
        ReportJson doc = ReportJson::parse(text);
        if (!doc.is_object() || !doc.contains("schema_version") || !doc.contains("findings")) {
            throw UsageError(arg + " is not a lisa JSON report");
        }
        return doc;
    } catch (const nlohmann::json::exception& e) {
        throw UsageError(arg + " is not valid JSON: " + e.what());
    }
}

int cmd_diff(const std::vector<std::string>& args) {
    po::options_description desc("diff options");
    desc.add_options()("help,h", "show this help")(
        "old", po::value<std::string>(), "older run id or JSON report")(
        "new", po::value<std::string>(), "newer run id or JSON report")(
        "history", po::value<std::string>(), "history database")(
        "organization", po::value<std::string>(), "organisation whose last two runs to compare")(
        "format,f", po::value<std::string>()->default_value("text"), "text|json")(
        "lang", po::value<std::string>()->default_value("sv"), "sv|en");
    po::positional_options_description pos;
    pos.add("old", 1).add("new", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa diff [OLD NEW]   (run ids or JSON reports; default: the last two runs)", desc)) {
        return kExitOk;
    }
    ReportJson older;
    ReportJson newer;
    if (vm.count("old") && vm.count("new")) {
        older = load_report_arg(vm["old"].as<std::string>(), vm);
        newer = load_report_arg(vm["new"].as<std::string>(), vm);
    } else if (vm.count("old")) {
        throw UsageError("lisa diff takes two reports, or none for the last two runs");
    } else {
        auto store = open_history(vm);
        std::string org = vm.count("organization") ? vm["organization"].as<std::string>() : "";
        auto runs = store->runs(org);
        if (!runs) {
            throw UsageError(runs.error().message);
        }
        std::vector<HistoryRun> list = runs.value();
        if (org.empty() && !list.empty()) {
            org = list.back().organization;  // the organisation of the latest run
            list.erase(std::remove_if(list.begin(), list.end(),
                                      [&](const HistoryRun& r) { return r.organization != org; }),
                       list.end());
        }
        if (list.size() < 2) {
            throw UsageError("the history holds fewer than two runs" + (org.empty() ? std::string() : " of " + org));
        }
        older = load_report_arg(std::to_string(list[list.size() - 2].id), vm);
        newer = load_report_arg(std::to_string(list.back().id), vm);
    }
    const ReportDiff d = diff_reports(older, newer);
    if (vm["format"].as<std::string>() == "json") {
        write_diff_json(d, std::cout);
    } else {
        write_diff_text(d, vm["lang"].as<std::string>(), std::cout);
    }
    return kExitOk;
}

int cmd_report(const std::vector<std::string>& args) {
    po::options_description desc("report options");
    desc.add_options()("help,h", "show this help")(
        "report", po::value<std::string>(), "JSON report, or a history run id")(
        "format,f", po::value<std::vector<std::string>>(), "html|junit|sarif|csv|actionplan-csv|json (repeatable)")(
        "output,o", po::value<std::string>(), "write to this file")(
        "output-dir", po::value<std::string>(), "write every format into this directory")(
        "history", po::value<std::string>(), "history database (run ids, and the trend chart)")(
        "lang", po::value<std::string>()->default_value("sv"), "sv|en");
    po::positional_options_description pos;
    pos.add("report", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa report REPORT.json|RUN-ID --format FORMAT [--output F | --output-dir D]", desc)) {
        return kExitOk;
    }
    if (!vm.count("report")) {
        throw UsageError("lisa report needs a JSON report or a history run id");
    }
    const std::vector<std::string> formats = checked_formats(vm, "html");
    if (std::find(formats.begin(), formats.end(), "text") != formats.end()) {
        throw UsageError("the text summary is made by 'lisa scan'; re-render as html, csv, junit, sarif or json");
    }
    const ReportJson doc = load_report_arg(vm["report"].as<std::string>(), vm);
    RenderOptions options;
    options.lang = vm["lang"].as<std::string>();
    if (vm.count("history")) {
        auto store = open_history(vm);
        const std::string org = doc["organization"].value("name", "");
        if (auto runs = store->runs(org)) {
            for (const auto& run : runs.value()) {
                if (run.score && run.systems.empty() && run.as_of <= doc["run"].value("as_of", "")) {
                    options.trend.push_back({run.as_of, *run.score});
                }
            }
        }
    }
    write_outputs(vm, formats, [&](const std::string& format) {
        return format == "json" ? doc.dump(2, ' ', false, ReportJson::error_handler_t::replace) + "\n"
                                : render_from_json(format, doc, options);
    });
    return kExitOk;
}

int cmd_verify(const std::vector<std::string>& args) {
    po::options_description desc("verify options");
    desc.add_options()("help,h", "show this help")("report", po::value<std::string>(), "JSON report")(
        "signature", po::value<std::string>(), "detached signature (default REPORT.sig)")(
        "public-key", po::value<std::string>()->required(), "signer's public key (PEM)");
    po::positional_options_description pos;
    pos.add("report", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa verify REPORT.json --signature REPORT.json.sig --public-key PUB.pem", desc)) {
        return kExitOk;
    }
    if (!vm.count("report")) {
        throw UsageError("lisa verify needs the JSON report");
    }
    const std::string report_path = vm["report"].as<std::string>();
    const std::string sig_path = vm.count("signature") ? vm["signature"].as<std::string>() : report_path + ".sig";
    std::string error;
    auto report = read_file(report_path, 256 << 20, error);
    if (!report) {
        throw UsageError("cannot read " + report_path + ": " + error);
    }
    auto sig = read_file(sig_path, 1 << 16, error);
    if (!sig) {
        throw UsageError("cannot read " + sig_path + ": " + error);
    }
    auto key = read_file(vm["public-key"].as<std::string>(), 1 << 20, error);
    if (!key) {
        throw UsageError("cannot read " + vm["public-key"].as<std::string>() + ": " + error);
    }
    const auto ok = verify_detached(*report, *sig, *key);
    if (!ok) {
        throw UsageError(ok.error().message);
    }
    if (ok.value()) {
        std::cout << "verified: " << report_path << " is signed by that key and unchanged\n";
        return kExitOk;
    }
    std::cout << "NOT VERIFIED: " << report_path << " was changed or not signed by that key\n";
    return kExitGateFailed;
}

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? kExitUsage : kExitOk;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "scan") return cmd_scan(args, argv[0]);
    if (command == "survey") return cmd_scan(args, argv[0], true);
    if (command == "validate") return cmd_validate(args, argv[0]);
    if (command == "rules") return cmd_rules(args, argv[0]);
    if (command == "probes") return cmd_probes(args);
    if (command == "probe") return cmd_probe(args);
    if (command == "history") return cmd_history(args);
    if (command == "diff") return cmd_diff(args);
    if (command == "report") return cmd_report(args);
    if (command == "verify") return cmd_verify(args);
    if (command == "version" || command == "--version") {
        std::cout << "lisa " << kVersion << '\n';
        return kExitOk;
    }
    throw UsageError("unknown command '" + command + "'");
}

}  // namespace
}  // namespace lisa::cli

int main(int argc, char** argv) {
    // No core dumps: a crash must not write a bind password to disk.
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    // A directory or web server that drops the connection must not kill the scan.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return lisa::cli::run(argc, argv);
    } catch (const lisa::cli::UsageError& e) {
        std::cerr << "lisa: " << e.what() << "\n(try 'lisa --help')\n";
        return lisa::cli::kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "lisa: internal error: " << e.what() << '\n';
        return lisa::cli::kExitIncomplete;
    }
}
