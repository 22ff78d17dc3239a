// SPDX-License-Identifier: Apache-2.0
// Where the HTML templates are (render.hpp default_templates_dir) and reading one (templates.hpp).
#include "templates.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "bounded_file.hpp"

namespace fs = std::filesystem;

namespace lisa {

namespace {

/// Templates are small; anything larger is not a template.
constexpr std::size_t kMaxTemplateBytes = 1024 * 1024;

bool has_templates(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "html" / "page_one.mustache", ec);
}

}  // namespace

std::string default_templates_dir() {
    if (const char* env = std::getenv("LISA_TEMPLATES_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
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

namespace html_templates {

std::string read_template(const RenderOptions& options, std::string_view name) {
    const std::string dir = options.templates_dir.empty() ? default_templates_dir() : options.templates_dir;
    const std::string path = (fs::path(dir) / std::string(name)).string();
    auto text = io::read_regular_file(path, kMaxTemplateBytes);
    if (!text) {
        throw std::runtime_error("cannot read the HTML template: " + text.error().message +
                                 " (set LISA_TEMPLATES_DIR to the directory holding html/page_one.mustache)");
    }
    return std::move(text).value();
}

}  // namespace html_templates

}  // namespace lisa
