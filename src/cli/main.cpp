// SPDX-License-Identifier: Apache-2.0
// lisa: compliance scanner for Swedish municipalities. Parses the command line, runs one
// command, maps the outcome to an exit code (DESIGN §5).
#include <sys/resource.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "../common/bounded_json.hpp"
#include "cmd_discover_ad.hpp"
#include "files.hpp"
#include "numbers.hpp"
#include "lisa/core/text.hpp"
#include "lisa/core/version.hpp"
#include "lisa/engine/scan.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/probes/document_probe.hpp"
#include "lisa/probes/register_builtin.hpp"
#include "lisa/report/benchmarks.hpp"
#include "lisa/report/central.hpp"
#include "lisa/report/central_store.hpp"
#include "lisa/report/diff.hpp"
#include "lisa/report/history.hpp"
#include "lisa/report/render.hpp"
#include "lisa/report/survey.hpp"
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
    kExitInternal = 4,    ///< internal error: a bug in lisa, not the input
    kExitOutput = 5,      ///< an output, report, signature or the history could not be written
    kExitStore = 5,       ///< the central store could not be reached, read or written (as 5)
};

/// Command-line misuse: printed with a hint, exit 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An output, report, signature or the history that could not be written: exit 5.
class OutputError : public std::runtime_error {
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
  central   init --to URL      create the central store's tables and roles (PostgreSQL)
  keys      add --municipality-code CODE PUB.pem --to URL   register a municipality's key
  push      PROFILE.json --to URL   send a signed central profile to the central store
  aggregate --history URL      the survey's tables rebuilt from the central store
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

// Numeric options are declared as strings and read here, each against its range (numbers.hpp).
double number_option(const po::variables_map& vm, const char* option, const NumberRange& range) {
    std::string error;
    const auto v = parse_number(std::string("--") + option, vm[option].as<std::string>(), range, error);
    if (!v) {
        throw UsageError(error);
    }
    return *v;
}

std::int64_t integer_option(const po::variables_map& vm, const char* option, const IntegerRange& range) {
    std::string error;
    const auto v = parse_integer(std::string("--") + option, vm[option].as<std::string>(), range, error);
    if (!v) {
        throw UsageError(error);
    }
    return *v;
}

std::chrono::milliseconds timeout_option(const po::variables_map& vm) {
    return std::chrono::milliseconds(std::llround(number_option(vm, "timeout", kTimeoutRange) * 1000));
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
        std::cerr << terminal_text(d.to_string(), false) << '\n';  // file names and keys are input
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
    if (std::string error; !inventory.empty()) {  // drafts' review markers (cmd_discover_ad.cpp)
        for (const auto& m : review_markers(inventory, read_file(inventory, kMaxInputFileBytes, error).value_or(""))) std::cerr << terminal_text(m, false) << '\n';
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
    {"actionplan-csv", "actionplan.csv"}, {"central", "profile.central.json"},
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

// `--output -` means standard output.
bool output_is_stdout(const po::variables_map& vm) {
    return vm.count("output") && vm["output"].as<std::string>() == "-";
}

// The file the JSON report goes to: --output, or report.json in --output-dir.
std::string json_report_path(const po::variables_map& vm) {
    if (vm.count("output-dir")) {
        return vm["output-dir"].as<std::string>() + "/" + format_info("json")->file;
    }
    return vm.count("output") && !output_is_stdout(vm) ? vm["output"].as<std::string>() : std::string();
}

// Signs the JSON report before it is linked into place: the signature covers the bytes re-read
// from the temporary file, and the report and REPORT.sig are linked only when both were written,
// so a failure leaves the previous signed report and its signature as they were.
void commit_signed(OutputFile& report, const std::string& signing_key) {
    std::string error;
    auto bytes = report.read_back(error);
    if (!bytes) {
        throw OutputError(error);
    }
    auto signature = sign_detached(*bytes, signing_key);
    if (!signature) {  // the key was checked before the scan: a failure now is ours
        throw std::runtime_error("signing failed: " + signature.error().message);
    }
    auto sig = OutputFile::open(report.path() + ".sig", error);
    if (!sig || !sig->write(signature.value() + "\n", error) || !report.commit(error) ||
        !sig->commit(error)) {
        throw OutputError(error);
    }
}

// Writes each format: to --output, into --output-dir, or to stdout. With a signing key, the JSON
// report and the central profile are signed (commit_signed); the caller wipes the key after. Any write failure throws OutputError (exit 5).
void write_outputs(const po::variables_map& vm, const std::vector<std::string>& formats,
                   const std::function<std::string(const std::string&)>& produce,
                   std::string* signing_key = nullptr) {
    if (vm.count("output-dir")) {
        std::error_code ec;
        std::filesystem::create_directories(vm["output-dir"].as<std::string>(), ec);
        if (ec) {
            throw OutputError("cannot create the output directory " + vm["output-dir"].as<std::string>() +
                              ": " + ec.message());
        }
    }
    for (const auto& format : formats) {
        const std::string content = produce(format);
        std::string path;
        if (vm.count("output-dir")) {
            path = vm["output-dir"].as<std::string>() + "/" + format_info(format)->file;
        } else if (vm.count("output") && format != "text" && !output_is_stdout(vm)) {
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
        std::cout.flush();  // what lisa printed comes first, also when path is /dev/stdout
        auto file = OutputFile::open(path, error);
        if (!file || !file->write(content, error)) {
            throw OutputError(error);
        }
        if ((format == "json" || format == "central") && signing_key != nullptr && !signing_key->empty()) {
            commit_signed(*file, *signing_key);
        } else if (!file->commit(error)) {
            throw OutputError(error);
        }
    }
}

// `lisa survey --format text|csv|json [--output FILE]`: anything else is a usage error (exit 2),
// never a run that writes nothing. One format; --output-dir is for `lisa scan`.
std::string checked_survey_format(const po::variables_map& vm) {
    const std::vector<std::string> formats =
        vm.count("format") ? vm["format"].as<std::vector<std::string>>() : std::vector<std::string>{"text"};
    for (const auto& f : formats) {
        if (!is_survey_format(f)) {
            throw UsageError("unknown survey --format '" + f + "' (expected text|csv|json|xlsx)");
        }
    }
    if (formats.size() != 1) {
        throw UsageError("lisa survey writes one --format at a time");
    }
    if (vm.count("output-dir")) {
        throw UsageError("lisa survey takes --output FILE, not --output-dir");
    }
    if (formats.front() == "xlsx" && !vm.count("output")) {
        throw UsageError("--format xlsx needs --output FILE.xlsx");
    }
    return formats.front();
}

int cmd_scan(const std::vector<std::string>& args, const char* argv0, bool survey_mode = false) {
    po::options_description desc("scan options");
    desc.add_options()("help,h", "show this help")(
        "inventory,i", po::value<std::string>()->required(), "inventory file (YAML)")(
        "rules,r", po::value<std::string>(), "rule pack directory or file (default: the shipped pack)")(
        "as-of", po::value<std::string>(),
        "audit date YYYY-MM-DD; fixes every date in the report (default: today, UTC)")(
        "format,f", po::value<std::vector<std::string>>(),
        "report format, repeatable: text|json|html|junit|sarif|csv|actionplan-csv|central")(
        "output,o", po::value<std::string>(), "write the (non-text) report to this file, atomically")(
        "output-dir", po::value<std::string>(), "write every format into this directory")(
        "history", po::value<std::string>(), "history database (default $LISA_HISTORY or ~/.local/share/lisa/history.db)")(
        "no-history", po::bool_switch(), "do not store this scan in the history")(
        "history-optional", po::bool_switch(), "a history that cannot be stored is a warning, not exit 5")(
        "sign", po::value<std::string>(), "sign the JSON report with this private key (PEM); writes REPORT.sig")(
        "system,s", po::value<std::vector<std::string>>(), "scan only this system and its parts (repeatable)")(
        "fail-under", po::value<std::string>(), "exit 1 when the overall score is below N (0 to 100)")(
        "fail-on", po::value<std::string>(), "exit 1 when a rule of this severity or worse fails")(
        "allow-incomplete", po::bool_switch(), "do not exit 3 when some checks could not run")(
        "concurrency", po::value<std::string>()->default_value("8"), "probe calls at once (1 to 256)")(
        "per-host", po::value<std::string>()->default_value("2"), "probe calls at once against one host, politeness (1 to 64)")(
        "timeout", po::value<std::string>()->default_value("5"), "seconds per network operation (0.1 to 600)")(
        "lang", po::value<std::string>()->default_value("sv"), "report language: sv|en")(
        "color", po::value<std::string>()->default_value("auto"), "terminal colours: auto|always|never");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa scan --inventory FILE [options]", desc)) {
        return kExitOk;
    }
    const std::string survey_format = survey_mode ? checked_survey_format(vm) : std::string();
    const std::vector<std::string> formats = survey_mode ? std::vector<std::string>{} : checked_formats(vm, "text");
    if (vm.count("history") && is_postgresql_url(vm["history"].as<std::string>())) {
        if (auto problem = postgresql_url_problem(vm["history"].as<std::string>())) {
            throw UsageError(*problem);  // before probing anything
        }
    }
    std::string signing_key;
    if (vm.count("sign")) {
        if ((std::find(formats.begin(), formats.end(), "json") == formats.end() &&
             std::find(formats.begin(), formats.end(), "central") == formats.end()) ||
            (!vm.count("output") && !vm.count("output-dir")) || output_is_stdout(vm)) {
            throw UsageError("--sign signs the JSON report or the central profile: add --format json or "
                             "--format central, and --output FILE (not -) or --output-dir");
        }
        std::string error;
        auto key = read_file(vm["sign"].as<std::string>(), 1 << 20, error);
        if (!key) {
            throw UsageError("cannot read the signing key " + vm["sign"].as<std::string>() + ": " + error);
        }
        signing_key = std::move(*key);
        // Checked now, before anything is probed or written: a bad key exits 2 and leaves the
        // previous signed report and its signature untouched.
        const auto check = sign_detached("lisa signing key check", signing_key);
        if (!check) {
            wipe_secret(signing_key);
            throw UsageError("the signing key " + vm["sign"].as<std::string>() + " cannot sign: " +
                             check.error().message);
        }
        if (output_in_place(json_report_path(vm))) {
            wipe_secret(signing_key);
            throw UsageError("--sign needs the JSON report in a regular file (its signature goes beside it), not " +
                             json_report_path(vm));
        }
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
    const auto timeout = timeout_option(vm);
    const auto concurrency = static_cast<unsigned>(integer_option(vm, "concurrency", kConcurrencyRange));
    const auto per_host = static_cast<unsigned>(integer_option(vm, "per-host", kPerHostRange));
    const bool has_fail_under = vm.count("fail-under") > 0;
    const double fail_under = has_fail_under ? number_option(vm, "fail-under", kScoreRange) : 0;
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
    options.per_host = per_host;
    options.timeout = timeout;
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
            std::cerr << "\r\033[K[" << done << "/" << total << "] " << terminal_line(target, 60)
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
    report.indicators = answer_indicators(loaded->rules, loaded->inventory, scan, report.benchmarks, as_of);
    for (const auto& fw : loaded->frameworks) {
        report.frameworks.push_back(framework_coverage(fw, loaded->rules, scan));
    }
    if (survey_mode) {
        std::ostringstream survey;
        write_survey(report, survey_format, survey);
        if (!vm.count("output") || output_is_stdout(vm)) {
            // On the terminal the answers and names, which come from the inputs, are sanitised.
            std::cout << (survey_format == "text" ? terminal_text(survey.str()) : survey.str()) << std::flush;
        } else if (std::string error; !write_output(vm["output"].as<std::string>(), survey.str(), error)) {
            throw OutputError(error);
        }
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
    bool history_failed = false;
    if (!vm["no-history"].as<bool>()) {
        const std::string path = vm.count("history") ? vm["history"].as<std::string>() : default_history_path();
        auto store = HistoryStore::open(path);
        auto added = store ? store.value()->add(json_text) : Result<std::int64_t>(store.error());
        if (!added) {
            history_failed = !vm["history-optional"].as<bool>();
            std::cerr << "lisa: " << (history_failed ? "error" : "warning")
                      << ": scan not stored in the history: " << terminal_text(added.error().message, false)
                      << (history_failed ? " (--history-optional makes this a warning, --no-history skips it)" : "")
                      << '\n';
        } else if (auto runs = store.value()->runs(loaded->inventory.name)) {
            for (const auto& run : runs.value()) {
                if (run.score && run.systems.empty()) {
                    render_options.trend.push_back({run.as_of, *run.score});
                }
            }
        }
    }
    std::string central_text;
    if (std::find(formats.begin(), formats.end(), "central") != formats.end()) {
        auto profile = central_profile(json_text);
        if (!profile) {
            throw std::runtime_error(profile.error().message);
        }
        central_text = std::move(profile).value();
    }
    write_outputs(
        vm, formats,
        [&](const std::string& format) {
            if (format == "json") {
                return json_text;
            }
            if (format == "central") {
                return central_text;
            }
            if (format == "text") {
                std::ostringstream out;
                TextReportWriter(use_color).write(report, out);
                return out.str();
            }
            return render_from_json(format, doc, render_options);
        },
        &signing_key);
    wipe_secret(signing_key);
    if (history_failed) {
        return kExitOutput;  // the reports are written; the record of this audit is not
    }

    // Gates. A failed gate (1) outranks an incomplete scan (3): it is known non-compliance.
    bool gate_failed = false;
    if (has_fail_under && report.score.overall.score && *report.score.overall.score < fail_under) {
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
    std::ostringstream text;  // printed through the terminal sanitiser: the pack is input
    if (action == "list") {
        text << std::left << std::setw(12) << "ID" << std::setw(16) << "AREA" << std::setw(10)
                  << "SEVERITY" << std::setw(14) << "FOR EACH" << "TITLE\n";
        for (const auto& rule : loaded->rules.rules) {
            text << std::left << std::setw(12) << rule.id << std::setw(16) << rule.area
                      << std::setw(10) << to_string(rule.severity) << std::setw(14)
                      << to_string(rule.for_each) << rule.title.in(lang) << '\n';
        }
        text << loaded->rules.rules.size() << " rules\n";
        std::cout << terminal_text(text.str());
        return kExitOk;
    }
    if (!vm.count("id")) {
        throw UsageError("lisa rules show needs a rule id");
    }
    const Rule* rule = loaded->rules.find(vm["id"].as<std::string>());
    if (rule == nullptr) {
        std::cerr << "lisa: no rule '" << terminal_text(vm["id"].as<std::string>(), false) << "' in "
                  << terminal_text(rules_dir, false) << '\n';
        return kExitUsage;
    }
    text << rule->id << "  [" << to_string(rule->severity) << ", " << rule->area << "]\n"
              << "  sv: " << rule->title.sv << "\n  en: " << rule->title.en << "\n"
              << "for each: " << to_string(rule->for_each) << '\n';
    if (!rule->indicator.empty()) {
        text << "indicator: " << rule->indicator << '\n';
    }
    if (rule->require) {
        text << "requires: " << to_string(*rule->require) << " evidence\n";
    }
    if (!rule->references.empty()) {
        text << "references:\n";
        for (const auto& ref : rule->references) {
            text << "  - " << ref << '\n';
        }
    }
    if (!rule->params.empty()) {
        text << "parameters:\n";
        for (const auto& [name, value] : rule->params) {
            text << "  " << name << " = " << value.to_display() << '\n';
        }
    }
    if (rule->where) {
        text << "where:\n" << render_condition(*rule->where, 1);
    }
    text << "expect:\n" << render_condition(rule->expect, 1);
    text << "remediation:\n  sv: " << rule->remediation.sv << "\n  en: " << rule->remediation.en
              << '\n'
              << "defined at " << rule->location.file << ":" << rule->location.line << '\n';
    std::cout << terminal_text(text.str());
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
        "ca-file", po::value<std::string>(), "tls/http/ldap/document URL: CA file; its self-signed certificates are the trust anchors")(
        "trust-intermediates", po::bool_switch(), "tls: the intermediates in --ca-file are trust anchors too")(
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
        "stale-days", po::value<std::string>()->default_value("90"), "ldap: days without logon that make an account stale (1 to 3650)")(
        "as-of", po::value<std::string>(), "date for expiry and age facts (default today)")(
        "timeout", po::value<std::string>()->default_value("5"), "seconds per network operation (0.1 to 600)");
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
    const auto timeout = timeout_option(vm);
    const std::int64_t stale_days = integer_option(vm, "stale-days", kStaleDaysRange);
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
        if (vm["trust-intermediates"].as<bool>()) yaml += "        trust_intermediates: true\n";
        if (vm["starttls"].as<bool>()) yaml += "        starttls: true\n";
        if (vm.count("http-url")) yaml += "        http_url: " + q(opt("http-url")) + "\n";
        if (vm.count("idp")) yaml += "        idp: " + q(opt("idp")) + "\n";
    } else if (kind == "ldap") {
        subject_kind = SubjectKind::Directory;
        yaml += "directories:\n  - id: target\n    url: " + q(target) + "\n    base_dn: " + q(opt("base")) +
                "\n    flavour: " + q(opt("flavour")) + "\n    stale_days: " +
                std::to_string(stale_days) + "\n";
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
    context.timeout = timeout;
    const Facts visible = visible_declared(inv.subjects, index);
    const ProbeRequest request{inv.subjects[static_cast<std::size_t>(index)], index, visible,
                               inv.subjects, context};
    if (!probe->applies_to(request)) {
        throw UsageError("probe '" + kind + "' does not apply to '" + target + "'");
    }
    auto result = probe->collect(request);
    if (result) {
        redact_output(result.value(), *context.secrets);  // the scan's boundary, here too
    }
    if (!result) {
        write_probe_json(target, {}, context.secrets->redact(result.error().message), std::cout);
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
    std::ostringstream text;  // printed through the terminal sanitiser: names come from reports
    if (!runs) {
        throw UsageError(runs.error().message);
    }
    text << std::left << std::setw(6) << "RUN" << std::setw(12) << "AS OF" << std::setw(22) << "STARTED"
              << std::setw(24) << "ORGANIZATION" << std::setw(8) << "SCORE" << std::setw(10) << "COVERAGE"
              << "PASS FAIL ERROR WAIVED  SYSTEMS\n";
    for (const auto& r : runs.value()) {
        char score[16] = "–";
        if (r.score) {
            std::snprintf(score, sizeof score, "%.1f", *r.score);
        }
        char coverage[16];
        std::snprintf(coverage, sizeof coverage, "%.0f %%", r.coverage * 100);
        text << std::left << std::setw(6) << r.id << std::setw(12) << r.as_of << std::setw(22) << r.started
                  << std::setw(24) << r.organization.substr(0, 23) << std::setw(8) << score << std::setw(10)
                  << coverage << std::setw(5) << r.pass << std::setw(5) << r.fail << std::setw(6) << r.error
                  << std::setw(8) << r.waived << (r.systems.empty() ? "all" : r.systems) << '\n';
    }
    text << runs.value().size() << " runs in " << history_path(vm) << '\n';
    std::cout << terminal_text(text.str());
    return kExitOk;
}

// A run id typed on the command line (digits only), checked against its range; nullopt for a
// file name.
std::optional<std::int64_t> run_id_arg(const std::string& arg) {
    if (!looks_like_run_id(arg)) {
        return std::nullopt;
    }
    std::string error;
    const auto id = parse_integer("run id", arg, kRunIdRange, error);
    if (!id) {
        throw UsageError(error);
    }
    return id;
}

// A report named on the command line: a run id of the history, or a JSON file.
ReportJson load_report_arg(const std::string& arg, const po::variables_map& vm) {
    std::string text;
    if (const auto id = run_id_arg(arg)) {
        auto json = open_history(vm)->report(*id);
        if (!json) {
            throw UsageError(json.error().message);
        }
        text = json.value();
    } else {
        std::string error;
        auto content = read_file(arg, detail::kMaxReportJsonBytes, error);
        if (!content) {
            throw UsageError("cannot read " + arg + ": " + error);
        }
        text = std::move(*content);
    }
    // Size and depth capped (bounded_json.hpp): a hostile report cannot take the memory or stack.
    std::string error;
    auto doc = detail::parse_bounded_json<ReportJson>(text, detail::kMaxReportJsonBytes, error);
    if (!doc) {
        const bool located = !error.empty() && std::isdigit(static_cast<unsigned char>(error[0])) != 0;
        throw UsageError(located ? arg + ":" + error : arg + " is not valid JSON: " + error);
    }
    if (!doc->is_object() || !doc->contains("schema_version") || !doc->contains("findings")) {
        throw UsageError(arg + " is not a lisa JSON report");
    }
    return std::move(*doc);
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
        // Both arguments are checked before either is read.
        run_id_arg(vm["old"].as<std::string>());
        run_id_arg(vm["new"].as<std::string>());
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
        const std::string json =
            json_escape_controls(doc.dump(2, ' ', false, ReportJson::error_handler_t::replace)) + "\n";
        if (format == "central") {
            auto profile = central_profile(json);
            if (!profile) {
                throw UsageError(profile.error().message);
            }
            return profile.value();
        }
        return format == "json" ? json : render_from_json(format, doc, options);
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
    auto report = read_file(report_path, detail::kMaxReportJsonBytes, error);
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
        std::cout << "verified: " << terminal_text(report_path, false) << " is signed by that key and unchanged\n";
        return kExitOk;
    }
    std::cout << "NOT VERIFIED: " << terminal_text(report_path, false) << " was changed or not signed by that key\n";
    return kExitGateFailed;
}

// ---------------------------------------------------------------------------------------------
// The central store (issue 17): PostgreSQL only; see README "Running lisa for many municipalities".

/// A store URL from --to/--history: must be postgresql://; a password in it is refused (exit 2)
/// by the driver before any connection, without echoing the URL.
std::string central_url(const po::variables_map& vm, const char* option) {
    if (!vm.count(option)) {
        throw UsageError(std::string("--") + option + " postgresql://USER@HOST/DATABASE is required");
    }
    const std::string url = vm[option].as<std::string>();
    if (!is_postgresql_url(url)) {
        throw UsageError(std::string("--") + option + " must be a postgresql:// URL (the central store is PostgreSQL)");
    }
    return url;
}

std::unique_ptr<CentralStore> open_central(const std::string& url, int& exit_code) {
    auto store = CentralStore::open(url);
    if (!store) {
        const bool password = store.error().message.find("carries a password") != std::string::npos ||
                              store.error().message.find("not a valid PostgreSQL URL") != std::string::npos;
        std::cerr << "lisa: " << store.error().message << '\n';
        exit_code = password ? kExitUsage : kExitStore;
        return nullptr;
    }
    return std::move(store).value();
}

int cmd_central(const std::vector<std::string>& args) {
    po::options_description desc("central options");
    desc.add_options()("help,h", "show this help")("action", po::value<std::string>(), "init")(
        "to", po::value<std::string>(), "the central store: postgresql://USER@HOST:PORT/DATABASE");
    po::positional_options_description pos;
    pos.add("action", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa central init --to postgresql://OWNER@HOST/DB", desc)) {
        return kExitOk;
    }
    if (!vm.count("action") || vm["action"].as<std::string>() != "init") {
        throw UsageError("lisa central takes 'init'");
    }
    int rc = kExitOk;
    auto store = open_central(central_url(vm, "to"), rc);
    if (!store) {
        return rc;
    }
    if (auto ok = store->init(); !ok) {
        std::cerr << "lisa: " << ok.error().message << '\n';
        return kExitStore;
    }
    std::cout << "central store ready: tables, and roles lisa_pusher, lisa_key_admin, lisa_reader\n";
    return kExitOk;
}

int cmd_keys(const std::vector<std::string>& args) {
    po::options_description desc("keys options");
    desc.add_options()("help,h", "show this help")("action", po::value<std::string>(), "add")(
        "key", po::value<std::string>(), "the municipality's public key (PEM)")(
        "municipality-code", po::value<std::string>(), "four-digit kommunkod")(
        "replace", po::bool_switch(), "replace the municipality's registered key")(
        "to", po::value<std::string>(), "the central store: postgresql://USER@HOST:PORT/DATABASE");
    po::positional_options_description pos;
    pos.add("action", 1).add("key", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa keys add --municipality-code 1234 PUB.pem --to postgresql://ADMIN@HOST/DB", desc)) {
        return kExitOk;
    }
    if (!vm.count("action") || vm["action"].as<std::string>() != "add" || !vm.count("key")) {
        throw UsageError("lisa keys takes 'add --municipality-code CODE PUB.pem --to URL'");
    }
    if (!vm.count("municipality-code")) {
        throw UsageError("--municipality-code CODE is required");
    }
    const std::string url = central_url(vm, "to");
    std::string error;
    auto pem = read_file(vm["key"].as<std::string>(), 1 << 16, error);
    if (!pem) {
        throw UsageError("cannot read " + vm["key"].as<std::string>() + ": " + error);
    }
    int rc = kExitOk;
    auto store = open_central(url, rc);
    if (!store) {
        return rc;
    }
    const std::string code = vm["municipality-code"].as<std::string>();
    if (auto ok = store->add_key(code, *pem, vm["replace"].as<bool>()); !ok) {
        std::cerr << "lisa: " << ok.error().message << '\n';
        const bool input = ok.error().message.find("four-digit") != std::string::npos ||
                           ok.error().message.find("not a PEM") != std::string::npos ||
                           ok.error().message.find("already has") != std::string::npos;
        return input ? kExitUsage : kExitStore;
    }
    std::cout << "key registered for municipality " << code << '\n';
    return kExitOk;
}

int cmd_push(const std::vector<std::string>& args) {
    po::options_description desc("push options");
    desc.add_options()("help,h", "show this help")(
        "profile", po::value<std::vector<std::string>>(), "central profile(s) (lisa scan --format central)")(
        "signature", po::value<std::string>(), "detached signature (default PROFILE.sig); one profile only")(
        "to", po::value<std::string>(), "the central store: postgresql://USER@HOST:PORT/DATABASE");
    po::positional_options_description pos;
    pos.add("profile", -1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa push PROFILE.json [--signature PROFILE.json.sig] --to postgresql://PUSHER@HOST/DB",
                   desc)) {
        return kExitOk;
    }
    if (!vm.count("profile")) {
        throw UsageError("lisa push needs a central profile (lisa scan --format central --sign KEY)");
    }
    const auto profiles = vm["profile"].as<std::vector<std::string>>();
    if (vm.count("signature") && profiles.size() != 1) {
        throw UsageError("--signature names the signature of one profile; several profiles use PROFILE.sig each");
    }
    const std::string url = central_url(vm, "to");
    int rc = kExitOk;
    auto store = open_central(url, rc);
    if (!store) {
        return rc;
    }
    for (const auto& path : profiles) {
        const std::string sig_path = vm.count("signature") ? vm["signature"].as<std::string>() : path + ".sig";
        std::string error;
        auto profile = read_file(path, kMaxInputFileBytes, error);
        if (!profile) {
            std::cerr << "lisa: cannot read " << path << ": " << error << '\n';
            rc = std::max(rc, static_cast<int>(kExitUsage));
            continue;
        }
        auto sig = read_file(sig_path, 1 << 16, error);
        if (!sig) {
            std::cerr << "lisa: cannot read the signature " << sig_path << ": " << error << '\n';
            rc = std::max(rc, static_cast<int>(kExitUsage));
            continue;
        }
        auto outcome = store->push(*profile, *sig);
        if (!outcome) {
            std::cerr << "lisa: " << path << ": " << outcome.error().message << '\n';
            return kExitStore;
        }
        if (outcome.value().status == PushOutcome::Status::Refused) {
            std::cerr << "lisa: " << path << ": refused: " << outcome.value().message << '\n';
            rc = std::max(rc, static_cast<int>(kExitUsage));
            continue;
        }
        std::cout << path << ": " << outcome.value().message << '\n';
    }
    return rc;
}

int cmd_aggregate(const std::vector<std::string>& args, const char* argv0) {
    po::options_description desc("aggregate options");
    desc.add_options()("help,h", "show this help")(
        "history", po::value<std::string>(), "the central store: postgresql://USER@HOST:PORT/DATABASE")(
        "as-of", po::value<std::string>(), "latest profile per municipality up to this date (default: today, UTC)")(
        "since", po::value<std::string>(), "list registered municipalities without a profile since this date "
                                           "(default: a year before --as-of)")(
        "format,f", po::value<std::string>()->default_value("text"), "text|csv|json|html (html: one self-contained Swedish page)")(
        "rules,r", po::value<std::string>(), "rule pack directory (Socialstyrelsen's figures)");
    const auto vm = parse(args, desc);
    if (wants_help(vm, "usage: lisa aggregate --history postgresql://READER@HOST/DB [--as-of DATE] [--format text|csv|json|html]",
                   desc)) {
        return kExitOk;
    }
    const std::string format = vm["format"].as<std::string>();
    if (format != "text" && format != "csv" && format != "json" && format != "html") {
        throw UsageError("--format must be text, csv, json or html");
    }
    const std::string url = central_url(vm, "history");
    const std::string as_of = parse_as_of(vm).value_or(*Date::parse(today_utc())).to_string();
    std::string since;
    if (vm.count("since")) {
        auto d = Date::parse(vm["since"].as<std::string>());
        if (!d) {
            throw UsageError("--since must be a date YYYY-MM-DD");
        }
        since = d->to_string();
    } else {
        since = std::to_string(std::stoi(as_of.substr(0, 4)) - 1) + as_of.substr(4);
        if (since.substr(5) == "02-29") {
            since = since.substr(0, 5) + "02-28";
        }
    }
    auto loaded = load("", vm.count("rules") ? vm["rules"].as<std::string>() : default_rules_dir(argv0));
    if (!loaded->diagnostics.empty()) {
        return print_diagnostics(loaded->diagnostics);
    }
    if (!loaded->benchmarks) {
        throw UsageError("the rule pack has no benchmarks/socialstyrelsen.yaml");
    }
    int rc = kExitOk;
    auto store = open_central(url, rc);
    if (!store) {
        return rc;
    }
    auto result = store->aggregate(as_of, since, *loaded->benchmarks);
    if (!result) {
        std::cerr << "lisa: " << result.error().message << '\n';
        return kExitStore;
    }
    if (format == "json") {
        write_aggregate_json(result.value(), std::cout);
    } else if (format == "csv") {
        write_aggregate_csv(result.value(), std::cout);
    } else if (format == "html") {
        write_aggregate_html(result.value(), std::cout);
    } else {
        write_aggregate_text(result.value(), std::cout);
    }
    return kExitOk;
}

// Standard output is an output too: a report or summary that could not be written there
// (ENOSPC on /dev/full, EPIPE on a closed pipe) is exit 5, never a truncated report with exit 0.
int finish_stdout(int code) {
    std::cout.flush();
    bool failed = !std::cout.good();
    failed = std::fflush(stdout) != 0 || failed;
    failed = std::ferror(stdout) != 0 || failed;
    failed = std::fclose(stdout) != 0 || failed;
    if (failed && (code == kExitOk || code == kExitGateFailed || code == kExitIncomplete)) {
        std::cerr << "lisa: cannot write to standard output: " << std::strerror(errno) << '\n';
        return kExitOutput;
    }
    return code;
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
    if (command == "central") return cmd_central(args);
    if (command == "keys") return cmd_keys(args);
    if (command == "push") return cmd_push(args);
    if (command == "aggregate") return cmd_aggregate(args, argv[0]);
    if (command == "discover") return cmd_discover(args);  // cmd_discover_ad.cpp
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
    // A file-size limit (ulimit -f) must not kill lisa mid-report: the write fails with EFBIG
    // and is exit 5 with the path, like any other write error.
    std::signal(SIGXFSZ, SIG_IGN);
    try {
        return lisa::cli::finish_stdout(lisa::cli::run(argc, argv));
    } catch (const lisa::cli::UsageError& e) {
        std::cerr << "lisa: " << lisa::terminal_text(e.what(), false) << "\n(try 'lisa --help')\n";
        return lisa::cli::kExitUsage;
    } catch (const lisa::cli::OutputError& e) {
        std::cerr << "lisa: " << lisa::terminal_text(e.what(), false) << '\n';
        return lisa::cli::kExitOutput;
    } catch (const std::exception& e) {
        std::cerr << "lisa: internal error: " << lisa::terminal_text(e.what(), false) << '\n';
        return lisa::cli::kExitInternal;
    }
}
