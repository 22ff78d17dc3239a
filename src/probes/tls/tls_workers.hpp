// SPDX-License-Identifier: Apache-2.0
// Internal to lisa_probe_tls: the threads the probe's concurrent handshakes run on, kept and
// reused across handshakes and endpoints instead of one new thread per handshake (issue 15:
// creating and tearing down ~4 threads per endpoint was about a tenth of a county scan's CPU).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>

namespace lisa::tls_detail {

/**
 * One batch of jobs that run concurrently, each on a thread of the process's kept threads, with
 * SIGPIPE blocked there (a write to a closed peer fails with EPIPE). A job starts at once: on an
 * idle kept thread, else on a thread started for it that is kept afterwards; it is never queued
 * behind another job, so every wait in it stays bounded by its own deadlines alone, as on a
 * thread of its own. When no thread can be started the job runs on the caller's thread inside
 * spawn(), slower but correct. join() (and the destructor) waits until every job spawned so far
 * has returned; a job must not throw (an exception ends the process, as on a std::thread).
 * Not itself shared between threads: one Workers per batch, used by one thread.
 */
class Workers {
public:
    Workers() = default;
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;
    ~Workers() { join(); }

    void spawn(std::function<void()> job);
    void join();

private:
    std::mutex mutex_;
    std::condition_variable done_cv_;
    std::size_t running_ = 0;  ///< jobs spawned and not yet returned
};

/// Threads kept by the process (idle and busy), for tests and benchmarks.
[[nodiscard]] std::size_t kept_threads() noexcept;

}  // namespace lisa::tls_detail
