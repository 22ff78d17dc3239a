// SPDX-License-Identifier: Apache-2.0
#include "files.hpp"

#include "bounded_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace lisa::cli {

std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes,
                                     std::string& error) {
    auto content = io::read_regular_file(path, max_bytes);
    if (!content) {
        error = content.error().message;
        return std::nullopt;
    }
    return std::move(content).value();
}

namespace {

bool has_rules(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return false;
    }
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".yaml") {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string default_rules_dir(const char* argv0) {
    if (const char* env = std::getenv("LISA_RULES_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) {
        exe = fs::absolute(argv0, ec);
    }
    const fs::path dir = exe.parent_path();
    // Installed layout first, then the source tree this binary was built from.
    for (const fs::path& candidate :
         {dir / ".." / "share" / "lisa" / "rules", fs::path(LISA_BUILD_RULES_DIR),
          dir / ".." / ".." / "rules", dir / ".." / "rules", dir / "rules"}) {
        if (has_rules(candidate)) {
            return fs::weakly_canonical(candidate, ec).string();
        }
    }
    return (dir / ".." / "share" / "lisa" / "rules").string();
}

std::vector<std::string> rule_files(const std::string& dir, std::string& error) {
    std::vector<std::string> files;
    std::error_code ec;
    if (fs::is_regular_file(dir, ec)) {
        return {dir};
    }
    if (!fs::is_directory(dir, ec)) {
        error = fs::exists(dir, ec) ? "rule pack " + dir + " is not a regular file or a directory"
                                    : "rule pack directory not found: " + dir;
        return files;
    }
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        // Anything but a directory named *.yaml is listed: the reader refuses a FIFO or device
        // with its reason instead of the pack silently missing a file.
        if (!entry.is_directory(ec) && entry.path().extension() == ".yaml") {
            files.push_back(entry.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        error = "no *.yaml rule files in " + dir;
    }
    return files;
}

std::string dirname_of(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? "." : parent.string();
}

bool write_atomic(const std::string& path, const std::string& content, std::string& error) {
    std::string tmp = dirname_of(path) + "/." + fs::path(path).filename().string() + ".XXXXXX";
    const int fd = mkstemp(tmp.data());
    if (fd < 0) {
        error = std::string("cannot create a temporary file beside ") + path + ": " +
                std::strerror(errno);
        return false;
    }
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error = std::string("cannot write ") + path + ": " + std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    ::fchmod(fd, 0644);
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        error = std::string("cannot write ") + path + ": " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return false;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        error = std::string("cannot write ") + path + ": " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return false;
    }
    return true;
}

}  // namespace lisa::cli
