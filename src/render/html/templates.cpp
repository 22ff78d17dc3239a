// SPDX-License-Identifier: Apache-2.0
// Where the HTML templates are (render.hpp default_templates_dir); reading, checking and rendering
// one (templates.hpp).
#include "templates.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "bounded_file.hpp"
#include "lisa/core/text.hpp"

namespace fs = std::filesystem;

namespace lisa {

namespace {

/// Templates are small; anything larger is not a template.
constexpr std::size_t kMaxTemplateBytes = 1024 * 1024;

bool has_templates(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "html" / "page_one.mustache", ec);
}

/// The templates shipped with the binary, whatever LISA_TEMPLATES_DIR says.
std::string shipped_templates_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    const fs::path installed = ec ? fs::path() : exe.parent_path() / ".." / "share" / "lisa" / "templates";
    // Installed layout first (the binary in <prefix>/bin), then the source tree it was built from.
    for (const fs::path& candidate : {installed, fs::path(LISA_BUILD_TEMPLATES_DIR)}) {
        if (!candidate.empty() && has_templates(candidate)) {
            return fs::weakly_canonical(candidate, ec).string();
        }
    }
    return installed.empty() ? std::string("/usr/share/lisa/templates") : installed.string();
}

}  // namespace

std::string default_templates_dir() {
    if (const char* env = std::getenv("LISA_TEMPLATES_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    return shipped_templates_dir();
}

namespace html_templates {

namespace {

namespace mu = kainjow::mustache;

std::string template_dir(const RenderOptions& options) {
    return options.templates_dir.empty() ? default_templates_dir() : options.templates_dir;
}

/// Where `name` is read from: the templates directory in use; a file that directory does not have
/// (a municipality's copy made when lisa had fewer templates) from the shipped templates. A
/// directory that does not exist, or has no html/ folder (LISA_TEMPLATES_DIR set one level too
/// deep or too high), is not filled in: its templates are reported missing there.
std::string template_path(const RenderOptions& options, std::string_view name) {
    const fs::path chosen = fs::path(template_dir(options)) / std::string(name);
    std::error_code ec;
    // symlink_status: a dangling link in the municipality's folder is its file (unreadable, so
    // reported), not a reason to take the shipped one silently.
    if (fs::exists(fs::symlink_status(chosen, ec)) || !fs::is_directory(template_dir(options), ec) ||
        !fs::is_directory(fs::path(template_dir(options)) / "html", ec)) {
        return chosen.string();
    }
    const fs::path shipped = fs::path(shipped_templates_dir()) / std::string(name);
    return fs::exists(shipped, ec) ? shipped.string() : chosen.string();
}

/// Line and column (1-based, columns in bytes) of `offset` in `text`.
std::string line_col(const std::string& text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1;
    std::size_t start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            start = i + 1;
        }
    }
    return std::to_string(line) + ":" + std::to_string(offset - start + 1);
}

/// The partials lisa hands to its templates, and which templates are given them: a partial
/// anywhere else would render as nothing, and a partial inside a partial could recurse forever.
bool partial_allowed(std::string_view in_template, std::string_view partial_name) {
    return partial_name == "evidence" &&
           (in_template == "html/failing.mustache" || in_template == "html/errors.mustache");
}

/// Deepest section nesting a template may have: lisa's own go 3 deep; rendering cost grows with
/// the square of the depth, so a deeper template is refused rather than rendered for minutes.
constexpr int kMaxSectionDepth = 16;

/// The first problem among the template's tags, as "LINE:COL: message", or nullopt. Every tag
/// keeps the {{ }} delimiters (a set-delimiter tag is refused, so nothing below can be hidden
/// behind other delimiters); none writes a value unescaped; partials are the ones lisa provides
/// where it provides them; sections nest at most kMaxSectionDepth deep; the text is UTF-8.
std::optional<std::string> tag_problem(const std::string& text, std::string_view name) {
    if (const std::string clean = clean_utf8(text); clean != text) {
        std::size_t at = 0;
        while (at < text.size() && at < clean.size() && text[at] == clean[at]) {
            ++at;
        }
        return line_col(text, at) + ": not UTF-8 text (save the template as UTF-8)";
    }
    int depth = 0;
    for (std::size_t at = text.find("{{"); at != std::string::npos; at = text.find("{{", at + 2)) {
        std::size_t i = at + 2;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        const char kind = i < text.size() ? text[i] : '\0';
        const std::string where = line_col(text, at) + ": ";
        if (kind == '{' || kind == '&') {
            return where + "'{{" + std::string(1, kind) + "' writes a value without escaping it; use {{name}}, which lisa escapes";
        }
        if (kind == '=') {
            return where + "'{{=' changes the tag delimiters; lisa's templates keep {{ }} so every tag can be checked";
        }
        if (kind == '#' || kind == '^') {
            if (++depth > kMaxSectionDepth) {
                return where + "sections nested deeper than " + std::to_string(kMaxSectionDepth);
            }
        } else if (kind == '/') {
            --depth;
        } else if (kind == '>') {
            const std::size_t close = text.find("}}", i);
            std::string partial_name = text.substr(i + 1, close == std::string::npos ? 0 : close - i - 1);
            partial_name.erase(0, partial_name.find_first_not_of(" \t"));
            partial_name.erase(partial_name.find_last_not_of(" \t") + 1);
            if (!partial_allowed(name, partial_name)) {
                return where + "'{{> " + partial_name +
                       "}}' is not a partial lisa provides here (only {{> evidence}}, in failing.mustache and "
                       "errors.mustache)";
            }
        }
    }
    return std::nullopt;
}

}  // namespace

const std::vector<std::string_view>& report_templates() {
    // Page one first: the template a municipality has had longest, so a wrong directory names it.
    static const std::vector<std::string_view> kNames = {
        "html/page_one.mustache",    "html/head.mustache",          "html/header.mustache",
        "html/action_plan.mustache", "html/plan_progress.mustache", "html/survey.mustache",
        "html/summary.mustache",     "html/areas.mustache",         "html/trend.mustache",
        "html/failing.mustache",     "html/evidence.mustache",      "html/errors.mustache",
        "html/waivers.mustache",     "html/appendix.mustache",      "html/footer.mustache"};
    return kNames;
}

std::vector<std::string> unknown_templates(const RenderOptions& options) {
    const fs::path folder = fs::path(template_dir(options)) / "html";
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());  // the same order on every run
    const auto fold = [](std::string s) {  // lower case, trailing blanks dropped
        s.erase(s.find_last_not_of(" \t") + 1);
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    };
    std::vector<std::string> problems;
    for (const std::string& file : names) {
        const std::string folded = fold(file);
        if (folded.size() < 9 || folded.compare(folded.size() - 9, 9, ".mustache") != 0) {
            continue;
        }
        std::string alike;
        bool known = false;
        for (const std::string_view name : report_templates()) {
            const std::string known_file = fs::path(std::string(name)).filename().string();
            known = known || known_file == file;
            if (fold(known_file) == folded) alike = known_file;
        }
        if (!known) {
            problems.push_back((folder / file).string() + ": not a template lisa uses, so the report would be made without it" +
                               (alike.empty() ? std::string(" (the templates are listed in the README)")
                                              : " (names are exact, case and spaces included: did you mean " + alike + "?)"));
        }
    }
    return problems;
}

std::string read_template(const RenderOptions& options, std::string_view name) {
    const std::string path = template_path(options, name);
    auto text = io::read_regular_file(path, kMaxTemplateBytes);
    if (!text) {
        throw std::runtime_error("cannot read the HTML template: " + text.error().message +
                                 " (set LISA_TEMPLATES_DIR to the directory holding html/" +
                                 fs::path(std::string(name)).filename().string() + ")");
    }
    return std::move(text).value();
}

Result<std::string> checked_template(const RenderOptions& options, std::string_view name) {
    std::string text;
    try {
        text = read_template(options, name);
    } catch (const std::runtime_error& e) {
        return Error{e.what()};
    }
    const std::string path = template_path(options, name);
    if (auto problem = tag_problem(text, name)) {
        return Error{path + ":" + *problem};
    }
    mu::mustache tmpl{text};
    if (!tmpl.is_valid()) {
        // The library names a byte offset ("… at 1298"): said as line and column.
        std::string message = tmpl.error_message();
        std::string where = path;
        if (const auto at = message.rfind(" at "); at != std::string::npos &&
                                                  message.find_first_not_of("0123456789", at + 4) == std::string::npos &&
                                                  at + 4 < message.size()) {
            where += ":" + line_col(text, std::stoul(message.substr(at + 4)));
            message.erase(at);
        }
        return Error{where + ": not valid Mustache: " + message};
    }
    return text;
}

std::string render(const RenderOptions& options, std::string_view name, const mu::data& data) {
    auto text = checked_template(options, name);
    if (!text) {
        throw std::runtime_error("the HTML template: " + text.error().message);
    }
    mu::mustache tmpl{text.value()};
    // lisa's one HTML sanitiser escapes every {{value}} (text.hpp html_escape).
    tmpl.set_custom_escape([](const std::string& s) { return html_escape(s); });
    std::string html = tmpl.render(data);
    if (!tmpl.is_valid()) {
        throw std::runtime_error("the HTML template " + template_path(options, name) + " could not be rendered: " +
                                 tmpl.error_message());
    }
    return html;
}

mu::partial partial(const RenderOptions& options, std::string_view name) {
    auto text = checked_template(options, name);
    if (!text) {
        throw std::runtime_error("the HTML template: " + text.error().message);
    }
    return mu::partial{[html = std::move(text).value()]() { return html; }};
}

}  // namespace html_templates

}  // namespace lisa
