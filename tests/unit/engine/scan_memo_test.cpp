// SPDX-License-Identifier: Apache-2.0
// ScanMemo (issue 15): one computation per key per scan, however many probe calls ask at once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "lisa/engine/probe.hpp"

namespace lisa {
namespace {

TEST(ScanMemo, ComputesEachKeyOnceForConcurrentCallers) {
    ScanMemo memo;
    std::atomic<int> computed{0};
    std::vector<std::thread> callers;
    std::vector<std::shared_ptr<const std::string>> results(16);
    for (std::size_t i = 0; i < results.size(); ++i) {
        callers.emplace_back([&memo, &computed, &results, i] {
            results[i] = memo.once<std::string>("tls.crl http://pki.kommun.se/ca.crl", [&computed] {
                ++computed;
                std::this_thread::sleep_for(std::chrono::milliseconds(50));  // callers arrive meanwhile
                return std::string("crl");
            });
        });
    }
    for (auto& caller : callers) {
        caller.join();
    }
    EXPECT_EQ(computed.load(), 1);
    for (const auto& result : results) {
        ASSERT_NE(result, nullptr);
        EXPECT_EQ(*result, "crl");
        EXPECT_EQ(result.get(), results.front().get());  // one value, shared
    }
    EXPECT_EQ(*memo.once<std::string>("tls.crl http://other/ca.crl", [] { return std::string("other"); }), "other");
}

TEST(ScanMemo, EachContextIsOneScanAndCopiesShareIt) {
    ProbeContext scan;
    const ProbeContext copy = scan;  // a probe call's copy of the run's context
    int computed = 0;
    const auto count = [&computed] { return ++computed; };
    EXPECT_EQ(*scan.memo->once<int>("k", count), 1);
    EXPECT_EQ(*copy.memo->once<int>("k", count), 1);
    ProbeContext next_scan;
    EXPECT_EQ(*next_scan.memo->once<int>("k", count), 2);
}

TEST(ScanMemo, AnExceptionReachesEveryCallerOfThatKey) {
    ScanMemo memo;
    const auto failing = []() -> int { throw std::runtime_error("no"); };
    EXPECT_THROW(static_cast<void>(memo.once<int>("k", failing)), std::runtime_error);
    EXPECT_THROW(static_cast<void>(memo.once<int>("k", [] { return 1; })), std::runtime_error);
}

}  // namespace
}  // namespace lisa
