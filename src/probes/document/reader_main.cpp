// SPDX-License-Identifier: Apache-2.0
// lisa-document-reader: runs read_document (readers.cpp) in a process of its own, started by
// read_document_isolated (isolated_reader.cpp) with posix_spawn, so a parser that hangs, crashes or
// eats memory on a hostile file costs one finding, never the scan.
//
// Protocol (internal; both ends are built together):
//   stdin   a sealed memory file: one header line
//             "lisa-document-reader 1 CPU MEMORY PAGES ENTRIES ENTRY_BYTES TOTAL_BYTES\n"
//           (decimal: seconds of CPU, bytes of address space above the reader's own at start,
//           then ReaderLimits' max_pages, max_zip_entries, max_entry_bytes, max_total_bytes),
//           then the document's name (used only to tell HTML from text) and '\n', then its bytes.
//   stdout  one JSON object: format, pages, error, blocks, metadata, links, links_truncated.
//   exit    0 with a result; 2 when the header is not the one above (nothing on stdout).
// Limits: RLIMIT_CPU, RLIMIT_FSIZE 0 (writes no file), RLIMIT_CORE 0 and (not under
// AddressSanitizer, whose shadow memory needs terabytes of address space) RLIMIT_AS. The parent
// adds the wall-clock deadline and the cap on the result's size.
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <new>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "lisa/probes/document_text.hpp"

#include "sanitizer.hpp"

namespace {

nlohmann::json blocks_json(const std::vector<lisa::TextBlock>& blocks) {
    auto a = nlohmann::json::array();
    for (const auto& b : blocks) a.push_back({b.where, b.text});
    return a;
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

#ifndef LISA_ASAN
std::size_t mapped_bytes() {
    FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long pages = 0;
    if (std::fscanf(f, "%lu", &pages) != 1) pages = 0;
    std::fclose(f);
    return static_cast<std::size_t>(pages) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}
#endif

void limit(int resource, rlim_t soft, rlim_t hard) {
    rlimit r{soft, hard};
    ::setrlimit(resource, &r);
}

nlohmann::json read_to_json(std::string_view bytes, std::string_view name, const lisa::ReaderLimits& limits) {
    try {
        lisa::DocumentText t = lisa::read_document(bytes, name, limits);
        nlohmann::json j = {{"format", t.format}, {"pages", t.pages}, {"error", t.error},
                            {"blocks", blocks_json(t.blocks)}, {"metadata", blocks_json(t.metadata)}};
        auto links = nlohmann::json::array();
        for (const auto& l : t.links) links.push_back({l.href, l.text});
        j["links"] = std::move(links);
        j["links_truncated"] = t.links_truncated;
        return j;
    } catch (const std::bad_alloc&) {
        return {{"error", "reading the document needs more than " + std::to_string(limits.memory_bytes >> 20) +
                              " MiB of memory"}};
    } catch (const std::exception& e) {
        return {{"error", std::string("the reader failed: ") + e.what()}};
    } catch (...) {
        return {{"error", "the reader failed"}};
    }
}

}  // namespace

int main() {
    struct stat st {};
    if (::fstat(0, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        std::fputs("lisa-document-reader: stdin must be the memory file read_document_isolated writes\n", stderr);
        return 2;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, 0, 0);
    if (map == MAP_FAILED) return 2;
    const std::string_view all(static_cast<const char*>(map), size);
    const std::size_t header_end = all.find('\n');
    const std::size_t name_end = header_end == std::string_view::npos ? header_end : all.find('\n', header_end + 1);
    if (name_end == std::string_view::npos) return 2;
    std::istringstream header{std::string(all.substr(0, header_end))};
    std::string magic;
    int version = 0;
    lisa::ReaderLimits limits;
    if (!(header >> magic >> version >> limits.cpu_seconds >> limits.memory_bytes >> limits.max_pages >>
          limits.max_zip_entries >> limits.max_entry_bytes >> limits.max_total_bytes) ||
        magic != "lisa-document-reader" || version != 1) {
        std::fputs("lisa-document-reader: not a version 1 request\n", stderr);
        return 2;
    }
    const std::string_view name = all.substr(header_end + 1, name_end - header_end - 1);
    const std::string_view bytes = all.substr(name_end + 1);

    limit(RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1);  // SIGXCPU, then SIGKILL
    limit(RLIMIT_FSIZE, 0, 0);
    limit(RLIMIT_CORE, 0, 0);
#ifndef LISA_ASAN
    const std::size_t as = mapped_bytes() + limits.memory_bytes;
    limit(RLIMIT_AS, as, as);
#endif
    const nlohmann::json j = read_to_json(bytes, name, limits);
    // Invalid UTF-8 in a document is replaced, never a reason to lose the result.
    write_all(1, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return 0;
}
