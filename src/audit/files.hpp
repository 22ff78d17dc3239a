// SPDX-License-Identifier: Apache-2.0
// CLI-side file I/O: reading inputs with a size cap, finding the rule pack, outputs written where they say, whole or not at all.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/rules/loader.hpp"

namespace lisa::cli {

/// Reads a regular file of at most `max_bytes` (io::read_regular_file: a FIFO, socket or device
/// is refused, never waited on); on failure returns nullopt and sets `error`.
std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes,
                                     std::string& error);

/// The rule pack directory shipped with the binary: $LISA_RULES_DIR, then the install location
/// (<prefix>/share/lisa/rules), then the source tree the binary was built from.
std::string default_rules_dir(const char* argv0);

/// The *.yaml files directly in `dir`, sorted by name.
std::vector<std::string> rule_files(const std::string& dir, std::string& error);

/// How long writing an output may wait for a FIFO's reader to appear, or for a stalled reader to
/// take more bytes, before it is an error (seconds).
inline constexpr int kOutputStallSeconds = 30;

/**
 * One output (a report, a signature) on its way to `path`. Where the bytes go depends on what
 * `path` names, judged on the opened descriptor:
 *   - absent, or a regular file at an ordinary path: written to an unnamed temporary file
 *     (O_TMPFILE) in the same directory, fsync'ed, and linked into place by commit() (linkat to a
 *     hidden name, then rename over the target). A kill at any point, SIGKILL included, leaves no
 *     temporary file (only where the filesystem lacks O_TMPFILE a named `.NAME.XXXXXX` file is
 *     used instead). An existing file keeps its mode (and, as root, its owner); a new file gets
 *     0666 & ~umask.
 *   - a FIFO, a character device (/dev/null, /dev/full, a terminal) or a path directly in /dev or
 *     under /proc (/dev/stdout): opened without O_CREAT and written into, never replaced; waits for a
 *     reader or a stalled reader at most kOutputStallSeconds. A regular file reached that way
 *     (`--output /dev/stdout > out`) is appended to, after what lisa already printed.
 *   - anything else (a directory, a socket, a block device): refused.
 * Every failure (ENOSPC, EPIPE, EACCES, a stall) is returned as a one-line message naming the
 * path; the caller exits 5. Destroying an uncommitted OutputFile discards what was written.
 */
class OutputFile {
public:
    /// Opens `path` for writing as above; nullptr with `error` set when it cannot.
    static std::unique_ptr<OutputFile> open(const std::string& path, std::string& error);
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile();

    /// Appends `data`; false with `error` set on a write error.
    bool write(std::string_view data, std::string& error);
    /// True when the target is written in place (FIFO, device, /dev/stdout): no temporary file,
    /// nothing to read back, no atomic replace.
    [[nodiscard]] bool in_place() const noexcept { return in_place_; }
    /// Re-reads the bytes written so far from the temporary file (not for in_place() targets), so
    /// a signature covers exactly what will be linked into place.
    std::optional<std::string> read_back(std::string& error) const;
    /// Makes the output visible at its path (fsync + link + rename, or close); false with `error`.
    bool commit(std::string& error);
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    OutputFile() = default;
    std::string path_;         // as given
    std::string final_path_;   // where the file is linked (symlinks resolved)
    std::string named_tmp_;    // fallback without O_TMPFILE: the named temporary file
    int fd_ = -1;
    bool in_place_ = false;
    bool committed_ = false;
};

/// True when OutputFile would write `path` in place (an existing FIFO or device, a path directly
/// in /dev or under /proc) rather than replace it atomically.
[[nodiscard]] bool output_in_place(const std::string& path);

/// How a command treats an output file that already exists.
enum class ExistingOutput {
    Replace,     ///< a report regenerated on every run (scan, report, survey): replaced atomically
    NeedsForce,  ///< a draft the user edits after (init, discover): refused unless `force`
};

/**
 * The one rule every command that writes a file applies before it reads, probes or computes
 * anything (tester report 16 items 3 and 13). Returns the reason to refuse (the caller exits 2,
 * and nothing is written), or nullopt when `path` may be written:
 *   - `path` is the same file as one of `inputs` (same device and inode, so a relative spelling,
 *     a symlink or a hard link to the input counts): always refused, even with --force — the
 *     output would replace the file it is made from;
 *   - `path` is an existing regular file and `existing` is NeedsForce: refused unless `force`.
 * "-" (standard output) and targets written in place (output_in_place: /dev/stdout, FIFOs,
 * devices) are never "existing files". Inputs that do not exist (yet) are ignored. The write
 * itself goes through OutputFile (atomic for regular files).
 */
[[nodiscard]] std::optional<std::string> output_refusal(const std::string& path, const std::vector<std::string>& inputs,
                                                        ExistingOutput existing, bool force);

/// Writes `text` to standard output (std::cout) and flushes it; false with `error` set when
/// it did not all get there (/dev/full, a closed pipe), so a command prints its success line only
/// after the output really was written, and exits 5 otherwise.
bool write_stdout(std::string_view text, std::string& error);

/// OutputFile::open + write + commit.
bool write_output(const std::string& path, std::string_view content, std::string& error);

/// The directory part of a path ("." when none).
std::string dirname_of(const std::string& path);

}  // namespace lisa::cli
