// SPDX-License-Identifier: Apache-2.0
// read_document in a process of its own, lisa-document-reader (reader_main.cpp), with CPU, memory
// and wall-clock limits (document_text.hpp). poppler cannot be cancelled from another thread, and a
// parser bug in a hostile file must cost one finding, not the scan.
//
// Why a program and not fork() alone: the scan is multi-threaded, and a child forked from it may
// only call async-signal-safe functions; parsing a PDF in such a child deadlocked whenever another
// probe thread held a lock at the moment of the fork (the dynamic loader's, a C++ locale's, the
// sanitizer allocator's) — seen as every document of a busy scan "taking longer than 20 s".
// posix_spawn (vfork + exec) runs nothing of ours in the child before exec.
//
// The request (header, name, bytes) is written to a sealed memfd that becomes the reader's stdin:
// no pipe to deadlock on and no SIGPIPE when the reader dies early. The parent reads at most
// output_bytes of the result until the deadline, then kills the reader by pid.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "lisa/probes/document_text.hpp"

#include "sanitizer.hpp"

extern char** environ;

namespace lisa {
namespace {

std::vector<TextBlock> blocks_from(const nlohmann::json& a) {
    std::vector<TextBlock> out;
    if (!a.is_array()) return out;
    for (const auto& b : a) {
        if (b.is_array() && b.size() == 2 && b[0].is_string() && b[1].is_string()) {
            out.push_back({b[0].get<std::string>(), b[1].get<std::string>()});
        }
    }
    return out;
}

bool executable(const std::string& path) { return !path.empty() && ::access(path.c_str(), X_OK) == 0; }

std::string self_dir() {
    std::array<char, PATH_MAX> buf{};
    const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    if (n <= 0) return {};
    std::string exe(buf.data(), static_cast<std::size_t>(n));
    const auto slash = exe.rfind('/');
    return slash == std::string::npos ? std::string{} : exe.substr(0, slash);
}

}  // namespace

std::string document_reader_path() {
    if (const char* env = std::getenv("LISA_DOCUMENT_READER"); env && *env) return env;
    // Where the binary is does not change while it runs: looked up once, not per document.
    static const std::string found = [] {
        const std::string dir = self_dir();
        // Installed: /usr/bin/lisa and /usr/libexec/lisa/lisa-document-reader. Build tree: beside lisa.
        for (const std::string& p : {dir + "/" LISA_LIBEXEC_FROM_BINDIR "/lisa/lisa-document-reader",
                                     dir + "/lisa-document-reader", std::string(LISA_BUILD_DOCUMENT_READER)}) {
            if (executable(p)) return p;
        }
        return std::string();
    }();
    return found;
}

namespace {

/// The request as reader_main.cpp reads it, in a sealed memory file positioned at 0; -1 on failure.
int request_file(std::string_view bytes, std::string_view name, const ReaderLimits& limits) {
    const int fd = ::memfd_create("lisa-document", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) return -1;
    std::string head = "lisa-document-reader 1 " + std::to_string(limits.cpu_seconds) + " " +
                       std::to_string(limits.memory_bytes) + " " + std::to_string(limits.max_pages) + " " +
                       std::to_string(limits.max_zip_entries) + " " + std::to_string(limits.max_entry_bytes) +
                       " " + std::to_string(limits.max_total_bytes) + "\n";
    for (char c : name) head.push_back(c == '\n' || c == '\r' ? ' ' : c);
    head.push_back('\n');
    bool ok = true;
    for (std::string_view part : {std::string_view(head), bytes}) {
        while (ok && !part.empty()) {
            const ssize_t n = ::write(fd, part.data(), part.size());
            if (n < 0 && errno == EINTR) continue;
            ok = n > 0;
            if (ok) part.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    ok = ok && ::fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) == 0 &&
         ::lseek(fd, 0, SEEK_SET) == 0;
    if (!ok) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// Starts the reader with `in` as stdin and `out` as stdout; 0 and an error text on failure.
pid_t spawn_reader(const std::string& path, int in, int out, std::string& error) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in, 0);
    posix_spawn_file_actions_adddup2(&actions, out, 1);
#ifndef LISA_ASAN
    // A parser's complaints about a broken file are not the user's business; the result says it.
    // Sanitizer builds keep stderr, so a report from the reader reaches the test log.
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
#endif
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    char* argv[] = {const_cast<char*>("lisa-document-reader"), nullptr};
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        error = "cannot start the document reader " + path + ": " + std::strerror(rc);
        return 0;
    }
    return pid;
}

DocumentText result_from(const std::string& result, int status) {
    DocumentText out;
    try {
        const auto j = nlohmann::json::parse(result);
        out.format = j.value("format", "");
        out.pages = j.value("pages", 0);
        out.error = j.value("error", "");
        out.blocks = blocks_from(j.value("blocks", nlohmann::json::array()));
        out.metadata = blocks_from(j.value("metadata", nlohmann::json::array()));
        out.links_truncated = j.value("links_truncated", false);
        for (const auto& b : blocks_from(j.value("links", nlohmann::json::array()))) {
            if (out.links.size() < kMaxPageLinks) out.links.push_back({b.where, b.text});
        }
    } catch (const std::exception&) {
        out.error = "the document reader ended without a result (exit status " +
                    std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
    }
    return out;
}

}  // namespace

DocumentText read_document_isolated(std::string_view bytes, std::string_view name, const ReaderLimits& limits) {
    DocumentText out;
    const std::string path = document_reader_path();
    if (path.empty()) {
        out.error = "cannot start the document reader: lisa-document-reader is not installed beside lisa "
                    "(reinstall the package, or set LISA_DOCUMENT_READER to its path)";
        return out;
    }
    const int in = request_file(bytes, name, limits);
    int fds[2];
    if (in < 0 || ::pipe2(fds, O_CLOEXEC) != 0) {
        if (in >= 0) ::close(in);
        out.error = "cannot start the document reader (no memory file or pipe: " + std::string(std::strerror(errno)) + ")";
        return out;
    }
    const pid_t pid = spawn_reader(path, in, fds[1], out.error);
    ::close(in);
    ::close(fds[1]);
    if (pid == 0) {
        ::close(fds[0]);
        return out;
    }
    const auto deadline = std::chrono::steady_clock::now() + limits.wall;
    std::string result;
    bool timed_out = false, too_big = false;
    char buf[65536];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) { timed_out = true; break; }
        pollfd p{fds[0], POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        if (r == 0) continue;
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.append(buf, static_cast<std::size_t>(n));
        if (result.size() > limits.output_bytes) { too_big = true; break; }
    }
    ::close(fds[0]);
    if (timed_out || too_big) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) {
        out.error = "reading the document took longer than " + std::to_string(limits.wall.count() / 1000) +
                    " s: stopped";
        return out;
    }
    if (too_big) {
        out.error = "the document's text is larger than " + std::to_string(limits.output_bytes >> 20) + " MiB";
        return out;
    }
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        out.error = sig == SIGXCPU || sig == SIGKILL
                        ? "reading the document used more than " + std::to_string(limits.cpu_seconds) + " s of CPU: stopped"
                        : "the document reader crashed on this file (signal " + std::to_string(sig) + ")";
        return out;
    }
    return result_from(result, status);
}

}  // namespace lisa
