// SPDX-License-Identifier: Apache-2.0
// read_document in a child process with CPU, memory and wall-clock limits (document_text.hpp).
// poppler cannot be cancelled from another thread, and a parser bug in a hostile file must cost
// one finding, not the scan: the child gets the file's bytes (already in memory when it forks),
// parses, writes one JSON result to a pipe and exits; the parent reads at most output_bytes
// until the deadline, then kills it by pid.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <new>
#include <nlohmann/json.hpp>

#include "lisa/probes/document_text.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define LISA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LISA_ASAN 1
#endif
#endif

namespace lisa {
namespace {

nlohmann::json blocks_json(const std::vector<TextBlock>& blocks) {
    auto a = nlohmann::json::array();
    for (const auto& b : blocks) a.push_back({b.where, b.text});
    return a;
}

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

void write_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
    }
}

#ifdef LISA_ASAN
// Threads of this process now (/proc/self/status). GCC 12's AddressSanitizer allocator is not
// fork-safe: a child forked while another thread holds its lock deadlocks at its first malloc
// (seen as "took longer than 20 s" for every document of a scan, whose probe threads are busy).
// Sanitizer builds therefore fork only from a single-threaded process (the reader's own tests,
// `lisa probe document`) and read in-process otherwise; release builds always fork (glibc's
// malloc is fork-safe, and the child uses nothing else the parent's threads lock).
int thread_count() {
    FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    int threads = 0;
    while (std::fgets(line, sizeof line, f)) {
        if (std::sscanf(line, "Threads: %d", &threads) == 1) break;
    }
    std::fclose(f);
    return threads;
}
#endif

#ifndef LISA_ASAN
std::size_t mapped_bytes() {
    // Virtual size now: the child inherits the parent's mappings (thread stacks, heaps), and
    // RLIMIT_AS counts them, so the limit is what it may add on top.
    FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long pages = 0;
    if (std::fscanf(f, "%lu", &pages) != 1) pages = 0;
    std::fclose(f);
    return static_cast<std::size_t>(pages) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}
#endif

[[noreturn]] void child(int fd, std::string_view bytes, std::string_view name, const ReaderLimits& limits) {
    // Keep only our end of the pipe: a sibling reader forked by another probe thread would
    // otherwise hold that reader's pipe open and delay its end of file.
    if (fd > 3) ::close_range(3, static_cast<unsigned>(fd) - 1, 0);
    ::close_range(static_cast<unsigned>(fd) + 1, ~0U, 0);
    rlimit cpu{limits.cpu_seconds, limits.cpu_seconds + 1};
    ::setrlimit(RLIMIT_CPU, &cpu);
    rlimit none{0, 0};
    ::setrlimit(RLIMIT_FSIZE, &none);  // the reader writes no file
    ::setrlimit(RLIMIT_CORE, &none);
#ifndef LISA_ASAN
    const std::size_t as = mapped_bytes() + limits.memory_bytes;
    rlimit mem{as, as};
    ::setrlimit(RLIMIT_AS, &mem);
#endif
    nlohmann::json j;
    try {
        DocumentText t = read_document(bytes, name, limits);
        j = {{"format", t.format}, {"pages", t.pages}, {"error", t.error},
             {"blocks", blocks_json(t.blocks)}, {"metadata", blocks_json(t.metadata)}};
        auto links = nlohmann::json::array();
        for (const auto& l : t.links) links.push_back({l.href, l.text});
        j["links"] = std::move(links);
        j["links_truncated"] = t.links_truncated;
    } catch (const std::bad_alloc&) {
        j = {{"error", "reading the document needs more than " + std::to_string(limits.memory_bytes >> 20) +
                           " MiB of memory"}};
    } catch (const std::exception& e) {
        j = {{"error", std::string("the reader failed: ") + e.what()}};
    } catch (...) {
        j = {{"error", "the reader failed"}};
    }
    // Invalid UTF-8 in a document is replaced, never a reason to lose the result.
    write_all(fd, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    ::close(fd);
    ::_exit(0);
}

}  // namespace

DocumentText read_document_isolated(std::string_view bytes, std::string_view name, const ReaderLimits& limits) {
#ifdef LISA_ASAN
    if (thread_count() != 1) {
        return read_document(bytes, name, limits);
    }
#endif
    DocumentText out;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        out.error = "cannot start the document reader (pipe)";
        return out;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        out.error = "cannot start the document reader (fork)";
        return out;
    }
    if (pid == 0) {
        ::close(fds[0]);
        child(fds[1], bytes, name, limits);
    }
    ::close(fds[1]);
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

}  // namespace lisa
