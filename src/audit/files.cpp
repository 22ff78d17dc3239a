// SPDX-License-Identifier: Apache-2.0
#include "files.hpp"

#include "bounded_file.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

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

namespace {

std::string errno_text(int err) { return std::strerror(err); }

// The process umask, read without changing it (/proc/self/status "Umask:"); the umask()
// round-trip is the fallback on kernels without that line.
mode_t current_umask() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Umask:", 0) == 0) {
            return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
        }
    }
    const mode_t mask = ::umask(022);
    ::umask(mask);
    return mask;
}

// A path whose files lisa must never replace or create: nodes directly in /dev (/dev/stdout,
// /dev/full) and anything under /proc (/dev/fd/N, /proc/self/fd/N). /dev/shm and the like hold
// ordinary files and are judged by what they hold.
bool is_special_path(const std::string& path) {
    std::error_code ec;
    fs::path parent = fs::path(path).parent_path();
    if (parent.empty()) {
        parent = ".";
    }
    const std::string dir = fs::weakly_canonical(parent, ec).string();
    return dir == "/dev" || dir == "/proc" || dir.rfind("/proc/", 0) == 0;
}

// Waits until fd is writable; false after kOutputStallSeconds.
bool wait_writable(int fd) {
    pollfd p{fd, POLLOUT, 0};
    for (;;) {
        const int rc = ::poll(&p, 1, kOutputStallSeconds * 1000);
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        return rc > 0;
    }
}

std::string random_suffix() {
    std::random_device device;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 12; ++i) {
        out.push_back(kHex[device() % 16]);
    }
    return out;
}

}  // namespace

bool output_in_place(const std::string& path) {
    struct stat st {};
    return is_special_path(path) || (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode));
}

namespace {

/// What is at an output path before it is written.
struct OutputTarget {
    struct stat st {};
    bool exists = false;
    bool special = false;  ///< directly in /dev or under /proc (is_special_path)
};

/// Looks at `path`; false with `error` set when it cannot be written at all (a directory, or
/// stat failing for another reason than its absence).
bool inspect_target(const std::string& path, OutputTarget& target, std::string& error) {
    target.exists = ::stat(path.c_str(), &target.st) == 0;
    if (!target.exists && errno != ENOENT) {
        error = "cannot write " + path + ": " + errno_text(errno);
        return false;
    }
    target.special = is_special_path(path);
    if (target.exists && S_ISDIR(target.st.st_mode)) {
        error = "cannot write " + path + ": it is a directory";
        return false;
    }
    return true;
}

/// When `fd` is the file standard output already writes to (`--output /dev/stdout > out`): a
/// descriptor sharing standard output's offset, so the report follows what lisa printed
/// instead of overwriting it; else `fd` itself.
int share_stdout_offset(int fd) {
    struct stat opened {};
    struct stat stdout_st {};
    if (::fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode) && ::fstat(STDOUT_FILENO, &stdout_st) == 0 &&
        opened.st_dev == stdout_st.st_dev && opened.st_ino == stdout_st.st_ino) {
        const int shared = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
        if (shared >= 0) {
            ::close(fd);
            return shared;
        }
    }
    return fd;
}

/// Opens an existing FIFO, device or special path to be written into, never replaced; -1 with
/// `error` set when it cannot.
int open_in_place(const std::string& path, const OutputTarget& target, std::string& error) {
    const struct stat& st = target.st;
    if (target.exists && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
        error = "cannot write " + path + ": not a regular file, FIFO or character device";
        return -1;
    }
    if (!target.exists) {
        error = "cannot write " + path + ": no such device (lisa creates no files in /dev or /proc)";
        return -1;
    }
    // Non-blocking so a FIFO without a reader or a stalled reader is a bounded wait, not a
    // hang. The caller flushes its own standard output first.
    const int flags = O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK | (S_ISREG(st.st_mode) ? O_APPEND : 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kOutputStallSeconds);
    int fd = -1;
    for (;;) {
        fd = ::open(path.c_str(), flags);
        if (fd >= 0 || errno != ENXIO || std::chrono::steady_clock::now() >= deadline) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a FIFO without a reader yet
    }
    if (fd < 0) {
        error = "cannot write " + path + ": " +
                (errno == ENXIO ? "no process reads this FIFO (waited " + std::to_string(kOutputStallSeconds) + " s)"
                                : errno_text(errno));
        return -1;
    }
    return share_stdout_offset(fd);
}

/// An unnamed temporary file in `dir` (O_TMPFILE), or where the filesystem has none a named one
/// beside `final_path`, its name in `named_tmp` (removed on every error path). -1 on failure.
int create_temp_file(const std::string& dir, const std::string& final_path, std::string& named_tmp) {
    int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        named_tmp = dir + "/." + fs::path(final_path).filename().string() + ".XXXXXX";
        fd = ::mkostemp(named_tmp.data(), O_CLOEXEC);
        if (fd < 0) {
            named_tmp.clear();
        }
    }
    return fd;
}

}  // namespace

std::unique_ptr<OutputFile> OutputFile::open(const std::string& path, std::string& error) {
    std::unique_ptr<OutputFile> out(new OutputFile());
    out->path_ = path;
    if (path.empty()) {
        error = "cannot write an output to an empty path";
        return nullptr;
    }
    OutputTarget target;
    if (!inspect_target(path, target, error)) {
        return nullptr;
    }
    const struct stat& st = target.st;
    if (target.special || (target.exists && !S_ISREG(st.st_mode))) {
        out->fd_ = open_in_place(path, target, error);
        if (out->fd_ < 0) {
            return nullptr;
        }
        out->in_place_ = true;
        return out;
    }
    // A regular file at an ordinary path (or none yet): resolve symlinks so the file they point
    // to is replaced, not the link.
    std::error_code ec;
    out->final_path_ = target.exists ? fs::canonical(path, ec).string() : path;
    if (ec) {
        out->final_path_ = path;
    }
    const std::string dir = dirname_of(out->final_path_);
    const mode_t mode = target.exists ? (st.st_mode & 07777) : (0666 & ~current_umask());
    out->fd_ = create_temp_file(dir, out->final_path_, out->named_tmp_);
    if (out->fd_ < 0) {
        error = "cannot write " + path + ": cannot create a temporary file in " + dir + ": " + errno_text(errno);
        return nullptr;
    }
    if (target.exists && ::geteuid() == 0) {
        (void)::fchown(out->fd_, st.st_uid, st.st_gid);  // as root: keep the owner (best effort)
    }
    if (::fchmod(out->fd_, mode) != 0) {
        error = "cannot write " + path + ": cannot set the file mode: " + errno_text(errno);
        return nullptr;
    }
    return out;
}

OutputFile::~OutputFile() {
    if (fd_ >= 0) {
        ::close(fd_);  // an uncommitted O_TMPFILE file vanishes with its descriptor
    }
    if (!committed_ && !named_tmp_.empty()) {
        ::unlink(named_tmp_.c_str());
    }
}

bool OutputFile::write(std::string_view data, std::string& error) {
    std::size_t written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd_, data.data() + written, data.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                if (wait_writable(fd_)) {
                    continue;
                }
                error = "cannot write " + path_ + ": the reader took nothing for " +
                        std::to_string(kOutputStallSeconds) + " s";
                return false;
            }
            error = "cannot write " + path_ + ": " + errno_text(errno);
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<std::string> OutputFile::read_back(std::string& error) const {
    if (in_place_) {
        error = path_ + " is written in place and cannot be read back";
        return std::nullopt;
    }
    // The temporary file was opened write-only: read it through /proc/self/fd.
    const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
    const int rfd = ::open(proc.c_str(), O_RDONLY | O_CLOEXEC);
    if (rfd < 0) {
        error = "cannot read back " + path_ + ": " + errno_text(errno);
        return std::nullopt;
    }
    std::string content;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(rfd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error = "cannot read back " + path_ + ": " + errno_text(errno);
            ::close(rfd);
            return std::nullopt;
        }
        if (n == 0) {
            break;
        }
        content.append(buf, static_cast<std::size_t>(n));
    }
    ::close(rfd);
    return content;
}

bool OutputFile::commit(std::string& error) {
    if (committed_) {
        return true;
    }
    if (in_place_) {
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0 && errno != EINTR) {
            error = "cannot write " + path_ + ": " + errno_text(errno);
            return false;
        }
        committed_ = true;
        return true;
    }
    if (::fsync(fd_) != 0) {
        error = "cannot write " + path_ + ": " + errno_text(errno);
        return false;
    }
    std::string staged = named_tmp_;
    if (staged.empty()) {
        // Give the unnamed file a hidden name beside the target, then rename it over the target
        // (linkat cannot replace). Only between these two calls does a named file exist.
        const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
        for (int attempt = 0; attempt < 8; ++attempt) {
            staged = dirname_of(final_path_) + "/." + fs::path(final_path_).filename().string() + "." +
                     random_suffix();
            if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, staged.c_str(), AT_SYMLINK_FOLLOW) == 0) {
                break;
            }
            if (errno != EEXIST) {
                error = "cannot write " + path_ + ": " + errno_text(errno);
                return false;
            }
            staged.clear();
        }
        if (staged.empty()) {
            error = "cannot write " + path_ + ": no free temporary name";
            return false;
        }
    }
    if (::rename(staged.c_str(), final_path_.c_str()) != 0) {
        error = "cannot write " + path_ + ": " + errno_text(errno);
        ::unlink(staged.c_str());
        return false;
    }
    committed_ = true;
    const int fd = fd_;
    fd_ = -1;
    ::close(fd);
    return true;
}

std::optional<std::string> output_refusal(const std::string& path, const std::vector<std::string>& inputs,
                                          ExistingOutput existing, bool force) {
    if (path.empty() || path == "-") {
        return std::nullopt;
    }
    struct stat out {};
    if (::stat(path.c_str(), &out) != 0) {
        return std::nullopt;  // nothing there yet (or unreachable: OutputFile::open says why)
    }
    for (const auto& input : inputs) {
        struct stat in {};
        if (!input.empty() && ::stat(input.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            return "the output '" + path + "' is the input '" + input +
                   "': lisa never replaces a file it reads (--force does not change this); write to another file";
        }
    }
    if (existing == ExistingOutput::NeedsForce && !force && S_ISREG(out.st_mode) && !output_in_place(path)) {
        return "'" + path + "' exists; give --force to replace it";
    }
    return std::nullopt;
}

bool write_stdout(std::string_view text, std::string& error) {
    errno = 0;
    std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    std::cout.flush();
    const bool ok = std::cout.good() && std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
    if (!ok) {
        error = std::string("cannot write to standard output: ") + (errno != 0 ? std::strerror(errno) : "write failed");
    }
    return ok;
}

bool write_output(const std::string& path, std::string_view content, std::string& error) {
    auto out = OutputFile::open(path, error);
    return out != nullptr && out->write(content, error) && out->commit(error);
}

}  // namespace lisa::cli
