// SPDX-License-Identifier: Apache-2.0
// Writing the report's formats: the writer table, atomic files, signatures.
#include <sstream>

#include "cli.hpp"
#include "lisa/register/action_plan.hpp"
#include "lisa/report/signature.hpp"

namespace lisa::cli {
namespace {

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

/// A std::streambuf over an OutputFile: a writer streams into the file through a 64 KiB buffer,
/// so no format is held whole in memory; the first write error is kept and reported by finish().
class OutputFileBuf final : public std::streambuf {
public:
    explicit OutputFileBuf(OutputFile& file) : file_(file) { setp(buffer_, buffer_ + sizeof buffer_); }
    OutputFileBuf(const OutputFileBuf&) = delete;
    OutputFileBuf& operator=(const OutputFileBuf&) = delete;
    ~OutputFileBuf() override = default;

    /// Flushes what is buffered; throws OutputError with the file's message on any failure.
    void finish() {
        if (sync() != 0) {
            throw OutputError(error_);
        }
    }

protected:
    int_type overflow(int_type ch) override {
        if (sync() != 0) {
            return traits_type::eof();
        }
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }
    int sync() override {
        if (failed_) {
            return -1;
        }
        const auto n = static_cast<std::size_t>(pptr() - pbase());
        if (n > 0 && !file_.write(std::string_view(pbase(), n), error_)) {
            failed_ = true;
            return -1;
        }
        setp(buffer_, buffer_ + sizeof buffer_);
        return 0;
    }

private:
    OutputFile& file_;
    char buffer_[64 * 1024];
    std::string error_;
    bool failed_ = false;
};

/// Where a format goes: a file path, or "" for standard output.
std::string output_path(const po::variables_map& vm, const ReportFormat& format) {
    if (vm.count("output-dir")) {
        return vm["output-dir"].as<std::string>() + "/" + std::string(format.file_name);
    }
    if (vm.count("output") && !format.to_terminal && !output_is_stdout(vm)) {
        return vm["output"].as<std::string>();
    }
    return {};
}

/// Renders one format straight into its file (atomically, OutputFile) and signs it when asked.
void write_format_file(const std::string& path, const ReportFormat& format, const ReportDocument& doc,
                       const RenderOptions& options, const std::string* signing_key) {
    std::string error;
    std::cout.flush();  // what lisa printed comes first, also when path is /dev/stdout
    auto file = OutputFile::open(path, error);
    if (!file) {
        throw OutputError(error);
    }
    OutputFileBuf buf(*file);
    std::ostream stream(&buf);
    format.render(doc, options, stream);
    buf.finish();
    if (format.signable && signing_key != nullptr && !signing_key->empty()) {
        commit_signed(*file, *signing_key);
    } else if (!file->commit(error)) {
        throw OutputError(error);
    }
}

}  // namespace

/// The --format help: every format of the writer table, its file in --output-dir and what it is.
std::string formats_help(const std::string& lead) {
    std::string out = lead + ":";
    for (const auto& f : report_formats()) {
        out += "\n  " + std::string(f.name) + " (" + std::string(f.file_name) + "): " + std::string(f.help);
    }
    return out;
}

std::vector<std::string> checked_formats(const po::variables_map& vm, const std::string& fallback) {
    std::vector<std::string> formats = vm.count("format") ? vm["format"].as<std::vector<std::string>>()
                                                          : std::vector<std::string>{fallback};
    for (const auto& f : formats) {
        if (find_report_format(f) == nullptr) {
            throw UsageError("unknown --format '" + f + "' (expected " + report_format_names() + ")");
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
        return vm["output-dir"].as<std::string>() + "/" + std::string(find_report_format("json")->file_name);
    }
    return vm.count("output") && !output_is_stdout(vm) ? vm["output"].as<std::string>() : std::string();
}

void refuse_outputs_over_inputs(const po::variables_map& vm, const std::vector<std::string>& formats,
                                const std::vector<std::string>& inputs) {
    std::vector<std::string> paths;
    for (const auto& name : formats) {
        if (const ReportFormat* format = find_report_format(name)) {
            if (std::string path = output_path(vm, *format); !path.empty()) paths.push_back(std::move(path));
        }
    }
    if (formats.empty() && vm.count("output") && !output_is_stdout(vm)) {
        paths.push_back(vm["output"].as<std::string>());  // lisa survey: its one format
    }
    if (vm.count("sign") && !json_report_path(vm).empty()) {
        paths.push_back(json_report_path(vm) + ".sig");
    }
    for (const auto& path : paths) {
        if (auto refusal = output_refusal(path, inputs, ExistingOutput::Replace, true)) {
            throw UsageError(*refusal);
        }
    }
}

namespace {

// The files directly in `folder` (a document's discover folder, which the document probe reads;
// the HTML templates), at most kMaxFolderEntriesListed entries looked at.
void add_folder_files(const std::string& folder, std::vector<std::string>& files) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
    std::size_t entries = 0;
    for (; !ec && it != fs::directory_iterator() && ++entries <= kMaxFolderEntriesListed; it.increment(ec)) {
        std::error_code kind;
        if (!it->is_directory(kind)) files.push_back(it->path().string());
    }
}

}  // namespace

std::vector<std::string> files_the_options_name(const po::variables_map& vm, const std::string& default_rules) {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    const std::string rules = vm.count("rules") ? vm["rules"].as<std::string>() : default_rules;
    if (!rules.empty()) {
        files.push_back(rules);  // a pack of one file
        std::string error;
        for (const auto& sub : {fs::path(rules), fs::path(rules) / "frameworks", fs::path(rules) / "benchmarks"}) {
            for (auto& file : rule_files(sub.string(), error)) files.push_back(std::move(file));
        }
        files.push_back((fs::path(rules) / "labels" / "labels.yaml").string());
    }
    add_folder_files((fs::path(default_templates_dir()) / "html").string(), files);  // LISA_TEMPLATES_DIR
    for (const char* option : {"labels", "action-plan", "sign"}) {
        if (vm.count(option)) files.push_back(vm[option].as<std::string>());
    }
    if (!vm.count("no-history") || !vm["no-history"].as<bool>()) {
        files.push_back(vm.count("history") ? vm["history"].as<std::string>() : default_history_path());
    }
    return files;
}

std::vector<std::string> files_the_inventory_names(const Inventory& inventory, const std::string& inventory_dir) {
    static constexpr std::string_view kFileFacts[] = {".path", ".file", ".ca_file", ".password_file", ".keytab"};
    const auto ends_with = [](const std::string& name, std::string_view end) {
        return name.size() > end.size() && name.compare(name.size() - end.size(), end.size(), end) == 0;
    };
    std::vector<std::string> files;
    for (const Subject& subject : inventory.subjects) {
        for (const auto& named_fact : subject.facts) {
            const std::string& name = named_fact.first;
            const std::string* value = named_fact.second.value.as_string();
            if (value == nullptr || value->empty()) {
                continue;
            }
            const std::filesystem::path path(*value);
            const std::string resolved =
                path.is_absolute() ? path.string() : (std::filesystem::path(inventory_dir) / path).string();
            if (ends_with(name, ".discover_path")) {
                add_folder_files(resolved, files);
                continue;
            }
            if (!std::any_of(std::begin(kFileFacts), std::end(kFileFacts),
                             [&](std::string_view end) { return ends_with(name, end); })) {
                continue;
            }
            files.push_back(resolved);
            if (subject.kind == SubjectKind::Document) {
                files.push_back(resolved + ".lisa.yaml");
            }
        }
    }
    return files;
}

// Writes each format from the typed report: to --output, into --output-dir, or to stdout. The
// text summary always goes to the terminal too. With a signing key, the signable formats (JSON
// report, central profile) are signed (commit_signed); the caller wipes the key after. Any write
// failure throws OutputError (exit 5).
void write_outputs(const po::variables_map& vm, const std::vector<std::string>& formats, const ReportDocument& doc,
                   const RenderOptions& options, const std::string* signing_key) {
    if (vm.count("output-dir")) {
        std::error_code ec;
        std::filesystem::create_directories(vm["output-dir"].as<std::string>(), ec);
        if (ec) {
            throw OutputError("cannot create the output directory " + vm["output-dir"].as<std::string>() +
                              ": " + ec.message());
        }
    }
    for (const auto& name : formats) {
        const ReportFormat& format = *find_report_format(name);
        const std::string path = output_path(vm, format);
        if (format.to_terminal || path.empty()) {
            format.render(doc, options, std::cout);
            std::cout.flush();
        }
        if (!path.empty()) {
            write_format_file(path, format, doc, options, signing_key);
        }
    }
}

Labels load_labels(const po::variables_map& vm, const std::string& rules_dir, Diagnostics& diagnostics) {
    namespace fs = std::filesystem;
    Labels labels = Labels::builtin();
    std::vector<std::string> files;
    std::error_code ec;
    if (!rules_dir.empty() && fs::is_directory(rules_dir, ec)) {
        const fs::path beside = fs::path(rules_dir) / "labels" / "labels.yaml";
        if (fs::exists(beside, ec)) {
            files.push_back(beside.string());
        }
    }
    if (vm.count("labels")) {
        files.push_back(vm["labels"].as<std::string>());
    }
    for (const auto& path : files) {
        std::string error;
        const auto content = read_file(path, kMaxInputFileBytes, error);
        if (!content) {
            diagnostics.error(SourceLocation{path, 0, 0}, "cannot read the label catalogue: " + error);
            continue;
        }
        labels = Labels::overlay(labels, {path, *content}, diagnostics);
    }
    return labels;
}

CsvDialect csv_dialect_option(const po::variables_map& vm) {
    if (vm.count("csv-dialect") == 0) {
        return CsvDialect::Rfc4180;
    }
    const std::string d = vm["csv-dialect"].as<std::string>();
    if (d == "rfc4180") {
        return CsvDialect::Rfc4180;
    }
    if (d == "excel-sv") {
        return CsvDialect::ExcelSv;
    }
    throw UsageError("--csv-dialect must be rfc4180 or excel-sv, not '" + d + "'");
}

std::optional<std::vector<ActionInput>> action_plan_option(
    const po::variables_map& vm, const std::function<bool(const std::string&)>& known_rule,
    const std::function<bool(const std::string&)>& known_subject, int& exit_code) {
    if (vm.count("action-plan") == 0) {
        return std::nullopt;
    }
    const std::string path = vm["action-plan"].as<std::string>();
    std::string error;
    const auto bytes = read_file(path, reg::kMaxActionPlanBytes, error);
    if (!bytes) {
        throw UsageError("cannot read the action plan " + path + ": " + error);
    }
    reg::ActionPlanRead plan = reg::read_action_plan(*bytes);
    // Keys name a rule of the pack and a subject of the inventory: a typo or a row from another
    // municipality's plan is an error at its cell, not an action silently dropped.
    std::vector<ActionInput> rows;
    for (auto& row : plan.rows) {
        if (!known_rule(row.rule)) {
            plan.problems.push_back({row.row, row.column, "unknown action key '" + row.key + "': the rule pack has no rule " + row.rule});
        } else if (!known_subject(row.subject)) {
            plan.problems.push_back({row.row, row.column, "unknown action key '" + row.key + "': the inventory has no subject " + row.subject});
        } else {
            rows.push_back({row.key, row.rule, row.subject, row.owner, row.deadline, row.status, row.comment});
        }
    }
    if (plan.problems.empty()) {
        return rows;
    }
    std::stable_sort(plan.problems.begin(), plan.problems.end(), [](const reg::PlanProblem& a, const reg::PlanProblem& b) {
        return std::tie(a.row, a.column) < std::tie(b.row, b.column);
    });
    for (const auto& p : plan.problems) {
        std::cerr << terminal_text(path + ":" + p.cell() + ": " + p.message, false) << '\n';
    }
    std::cerr << "lisa: " << plan.problems.size() << (plan.problems.size() == 1 ? " problem" : " problems")
              << " found in the action plan\n";
    exit_code = kExitUsage;
    return std::nullopt;
}

int check_templates_for(const std::vector<std::string>& formats) {
    if (std::find(formats.begin(), formats.end(), "html") == formats.end()) {
        return kExitOk;
    }
    if (auto ok = check_html_templates(RenderOptions{}); !ok) {
        std::istringstream lines(ok.error().message);  // one problem per line, every one shown
        for (std::string line; std::getline(lines, line);) {
            std::cerr << "lisa: " << line << '\n';
        }
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace lisa::cli
