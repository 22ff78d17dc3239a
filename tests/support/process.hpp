// SPDX-License-Identifier: Apache-2.0
// Test support: start real servers (openssl s_server, slapd, ...) on loopback and stop them,
// even when a test fails. Never use for anything but tests.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace lisa::testing_support {

/// A child process, killed (SIGTERM, then SIGKILL) and reaped when destroyed.
class ChildProcess {
public:
    ChildProcess() = default;
    /// Starts argv[0] (looked up in PATH) with the given arguments; stdout/stderr go to log_file
    /// (or /dev/null when empty). Throws std::runtime_error when it cannot start.
    explicit ChildProcess(const std::vector<std::string>& argv, const std::string& log_file = {},
                          const std::string& stdin_file = {});
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    [[nodiscard]] int pid() const noexcept { return pid_; }
    /// True while the child has not exited.
    [[nodiscard]] bool running();
    /// Sends SIGTERM, waits up to a second, then SIGKILL; reaps the child.
    void stop();
    /// Blocks until the child exits; returns its exit status (128+signal when killed).
    int wait();

private:
    int pid_ = -1;
};

/// Runs a command to completion (no shell); returns its exit status, output captured in `output`.
int run_command(const std::vector<std::string>& argv, std::string* output = nullptr,
                const std::string& stdin_data = {});

/// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, close).
int free_port();

/// Waits until something accepts TCP connections on 127.0.0.1:port; false on timeout.
bool wait_for_port(int port, std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// A fresh temporary directory, removed recursively when destroyed.
class TempDir {
public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    /// path() + "/" + name
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

/// Today's date in UTC as YYYY-MM-DD, from the same clock `openssl` uses when a test makes
/// certificates. A test that makes an artefact at run time (a certificate, a directory entry with an
/// age) and judges it with `--as-of` passes this date (or one derived from it), never a fixed one:
/// a fixed date turns into a time bomb the day the artefact's validity no longer covers it.
/// `offset_days` moves the date (e.g. +30 to judge a certificate 30 days on).
[[nodiscard]] std::string today_iso(int offset_days = 0);

/// Writes `content` to `path` (truncating). Throws on failure.
void write_file(const std::string& path, const std::string& content);
/// Reads a whole file. Throws on failure.
std::string read_file(const std::string& path);

}  // namespace lisa::testing_support
