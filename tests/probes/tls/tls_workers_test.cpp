// SPDX-License-Identifier: Apache-2.0
// The tls probe's kept threads and its memory of chain verdicts (issue 15): both must change only
// the CPU a scan spends, never what it observes or how long any one wait may last.
#include <ctime>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "chain_cache.hpp"
#include "process.hpp"
#include "test_pki.hpp"
#include "tls_detail.hpp"
#include "tls_workers.hpp"

namespace lisa::tls_detail {
namespace {

using testing_support::CertSpec;
using testing_support::TempDir;
using testing_support::TestPki;

Date today() { return Date{static_cast<std::int64_t>(std::time(nullptr) / 86400)}; }

void expect_same(const ChainVerdict& cached, const ChainVerdict& fresh) {
    EXPECT_EQ(cached.valid, fresh.valid);
    EXPECT_EQ(cached.complete, fresh.complete);
    EXPECT_EQ(cached.error, fresh.error);
    EXPECT_EQ(cached.checked, fresh.checked);
}

// Every job of a batch starts at once, never queued behind another: eight jobs that each wait
// for all eight to have started finish only if they run side by side.
TEST(TlsWorkersTest, JobsRunSideBySideAndJoinWaitsForAll) {
    constexpr int kJobs = 8;
    std::size_t after_first = 0;
    for (int round = 0; round < 3; ++round) {
        std::mutex mutex;
        std::condition_variable cv;
        int started = 0;
        std::atomic<int> finished{0};
        {
            Workers workers;
            for (int i = 0; i < kJobs; ++i) {
                workers.spawn([&] {
                    std::unique_lock<std::mutex> lock(mutex);
                    ++started;
                    cv.notify_all();
                    const bool all = cv.wait_for(lock, std::chrono::seconds(10), [&] { return started == kJobs; });
                    EXPECT_TRUE(all) << "a job was queued behind another";
                    finished.fetch_add(1);
                });
            }
            workers.join();
            EXPECT_EQ(finished.load(), kJobs);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the threads go idle
        if (round == 0) {
            after_first = kept_threads();
            EXPECT_GE(after_first, static_cast<std::size_t>(kJobs));
        }
    }
    // The later batches ran on the threads the first one started: none was made for them.
    EXPECT_LE(kept_threads(), after_first);
}

class ChainCacheTest : public ::testing::Test {
protected:
    void SetUp() override { pki_ = std::make_unique<TestPki>(dir_.path()); }
    TempDir dir_;
    std::unique_ptr<TestPki> pki_;
};

// The remembered verdict is the one verifying again gives, for each input that decides it.
TEST_F(ChainCacheTest, AnswersAsVerifyingAgainWould) {
    CertSpec short_lived;
    short_lived.not_before_days = -1;
    short_lived.not_after_days = 10;
    const X509Ptr leaf = parse_pem_certificate(pki_->issue("cache-leaf", short_lived).cert_pem);
    const std::string& ca = pki_->ca_file();
    for (const Date as_of : {today(), Date{today().days + 30}, Date{today().days - 30}}) {
        for (const bool trust_intermediates : {false, true}) {
            for (int twice = 0; twice < 2; ++twice) {
                expect_same(verify_chain_cached(leaf.get(), nullptr, ca, trust_intermediates, as_of),
                            verify_chain(leaf.get(), nullptr, ca, trust_intermediates, as_of));
            }
        }
    }
    const std::size_t hits = chain_cache_hits();
    EXPECT_TRUE(verify_chain_cached(leaf.get(), nullptr, ca, false, today()).valid);
    EXPECT_EQ(chain_cache_hits(), hits + 1);
    // The system store is another question (the test CA is not in it).
    expect_same(verify_chain_cached(leaf.get(), nullptr, "", false, today()),
                verify_chain(leaf.get(), nullptr, "", false, today()));
    // The same leaf with something else sent is another question too.
    const X509StackPtr sent = parse_pem_chain(pki_->issue("cache-other", CertSpec{}).cert_pem);
    expect_same(verify_chain_cached(leaf.get(), sent.get(), ca, false, today()),
                verify_chain(leaf.get(), sent.get(), ca, false, today()));
}

// A ca_file replaced between two scans of one process is read and judged again, and a path that
// cannot be read is never remembered.
TEST_F(ChainCacheTest, AReplacedOrUnreadableCaFileIsJudgedAgain) {
    const X509Ptr leaf = parse_pem_certificate(pki_->issue("cache-replaced", CertSpec{}).cert_pem);
    const std::string ca = dir_.file("replaced-ca.pem");
    testing_support::write_file(ca, pki_->ca_pem());
    EXPECT_TRUE(verify_chain_cached(leaf.get(), nullptr, ca, false, today()).valid);
    // Another anchor (a self-signed certificate that did not issue the leaf) in its place.
    CertSpec self_signed;
    self_signed.self_signed = true;
    const std::string other = pki_->issue("cache-other-anchor", self_signed).cert_pem;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a new modification time
    testing_support::write_file(ca, other);
    const ChainVerdict replaced = verify_chain_cached(leaf.get(), nullptr, ca, false, today());
    EXPECT_FALSE(replaced.valid);
    expect_same(replaced, verify_chain(leaf.get(), nullptr, ca, false, today()));

    const std::string missing = dir_.file("missing-ca.pem");
    EXPECT_FALSE(verify_chain_cached(leaf.get(), nullptr, missing, false, today()).checked);
    testing_support::write_file(missing, pki_->ca_pem());
    EXPECT_TRUE(verify_chain_cached(leaf.get(), nullptr, missing, false, today()).valid);
}

}  // namespace
}  // namespace lisa::tls_detail
