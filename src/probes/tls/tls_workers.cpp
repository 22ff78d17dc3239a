// SPDX-License-Identifier: Apache-2.0
#include "tls_workers.hpp"

#include <atomic>
#include <deque>
#include <memory>
#include <system_error>
#include <thread>
#include <utility>

#include "tls_connection.hpp"

namespace lisa::tls_detail {
namespace {

/// At most this many threads wait idle for the next job; a thread that finds this many already
/// waiting ends. A default scan keeps about concurrency × handshakes-at-once (8 × 4) busy.
constexpr std::size_t kMaxIdle = 64;

std::atomic<std::size_t> g_kept{0};

/**
 * The process's kept threads. Made once and never destroyed (idle threads wait on its condition
 * variable until the process ends, so it must outlive them); holds nothing else.
 */
class Pool {
public:
    static Pool& instance() {
        static Pool* const pool = new Pool();  // never destroyed, see above
        return *pool;
    }

    /// Hands `job` to an idle thread, else to a new one; false when no thread could be started.
    bool start(std::function<void()>& job) {
        std::unique_lock<std::mutex> lock(mutex_);
        if (handed_.size() < idle_) {
            handed_.push_back(std::move(job));
            lock.unlock();
            ready_cv_.notify_one();
            return true;
        }
        lock.unlock();
        auto held = std::make_shared<std::function<void()>>(std::move(job));
        try {
            std::thread([this, held] { run(std::move(*held)); }).detach();
        } catch (const std::system_error&) {
            job = std::move(*held);  // still the caller's to run
            return false;
        }
        return true;
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_cv_;
    std::size_t idle_ = 0;                       ///< threads waiting for a job
    std::deque<std::function<void()>> handed_;  ///< jobs handed over, never more than idle_

    void run(std::function<void()> job) {
        g_kept.fetch_add(1, std::memory_order_relaxed);
        block_sigpipe_in_this_thread();
        for (;;) {
            job();
            job = nullptr;  // release what it captured before waiting
            std::unique_lock<std::mutex> lock(mutex_);
            if (idle_ >= kMaxIdle) {
                break;
            }
            ++idle_;
            ready_cv_.wait(lock, [this] { return !handed_.empty(); });
            --idle_;
            job = std::move(handed_.front());
            handed_.pop_front();
        }
        g_kept.fetch_sub(1, std::memory_order_relaxed);
    }
};

}  // namespace

void Workers::spawn(std::function<void()> job) {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        ++running_;
    }
    std::function<void()> wrapped = [this, job = std::move(job)] {
        job();
        const std::lock_guard<std::mutex> lock(mutex_);
        if (--running_ == 0) {
            done_cv_.notify_all();
        }
    };
    if (!Pool::instance().start(wrapped)) {
        const SigpipeBlock sigpipe;
        wrapped();  // out of threads: run it here
    }
}

void Workers::join() {
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [this] { return running_ == 0; });
}

std::size_t kept_threads() noexcept { return g_kept.load(std::memory_order_relaxed); }

}  // namespace lisa::tls_detail
