// SPDX-License-Identifier: Apache-2.0
// A hostile LDAP peer for the secret-redaction tests: it speaks just enough LDAPv3 (RFC 4511,
// BER) to be probed, and echoes every password it is sent back in its diagnostics. A simple bind
// with a password is answered invalidCredentials (49) with the password in diagnosticMessage and
// matchedDN and a referral URL carrying it; an anonymous bind succeeds; every search ends in
// insufficientAccessRights (50) whose diagnostic and matchedDN again carry the last password the
// connection sent; StartTLS and other extended operations are refused. Listens on a free
// 127.0.0.1 port; stops (threads joined, sockets closed) on destruction. Tests only.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lisa::testing_support {

class EchoLdapServer {
public:
    EchoLdapServer();
    EchoLdapServer(const EchoLdapServer&) = delete;
    EchoLdapServer& operator=(const EchoLdapServer&) = delete;
    ~EchoLdapServer();

    [[nodiscard]] int port() const noexcept { return port_; }
    /// Simple binds with a non-empty password received so far.
    [[nodiscard]] int password_binds() const noexcept { return password_binds_.load(); }

private:
    void accept_loop();
    void serve(int fd);

    int listener_ = -1;
    int port_ = 0;
    int stop_pipe_[2] = {-1, -1};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<std::thread> connections_;
    std::atomic<int> password_binds_{0};
};

}  // namespace lisa::testing_support
