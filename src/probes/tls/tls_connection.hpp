// SPDX-License-Identifier: Apache-2.0
// Internal to lisa_probe_tls: the impure edge. Non-blocking sockets with deadlines, STARTTLS, and
// the TLS handshakes (OpenSSL, or a raw ClientHello for suites OpenSSL no longer offers).
#pragma once

#include <signal.h>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lisa/core/result.hpp"
#include "lisa/probes/tls_probe.hpp"
#include "tls_detail.hpp"

namespace lisa::tls_detail {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

/// Success without a value, for Result.
struct Ok {};

/// One resolved socket address.
struct Address {
    sockaddr_storage storage{};
    socklen_t size = 0;
    std::string text;  ///< "127.0.0.1:8443", "[::1]:636"
};

/// An owned file descriptor.
class Socket {
public:
    Socket() = default;
    explicit Socket(int fd) noexcept : fd_(fd) {}
    Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Socket& operator=(Socket&& other) noexcept;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket();

    [[nodiscard]] int fd() const noexcept { return fd_; }

private:
    int fd_ = -1;
};

/// The message every deadline-bounded wait fails with.
inline constexpr const char* kTimeout = "timeout";

/// Blocks SIGPIPE in the calling thread (a write to a closed peer then fails with EPIPE).
void block_sigpipe_in_this_thread();

/// SIGPIPE blocked in the calling thread while it lives, for work run on a caller's thread (the
/// scan's worker, `lisa probe`'s main thread): on destruction a SIGPIPE raised meanwhile is
/// discarded and the thread's previous mask restored, so the caller's thread is left as it was.
class SigpipeBlock {
public:
    SigpipeBlock();
    ~SigpipeBlock();
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

private:
    sigset_t previous_{};
    bool was_blocked_ = false;
};

/// getaddrinfo bounded by the deadline (a slow resolver is abandoned, not waited for).
[[nodiscard]] Result<std::vector<Address>> resolve(const std::string& host, int port,
                                                   Deadline deadline);

/// Waits until fd is ready for events (POLLIN/POLLOUT); Error{kTimeout} at the deadline.
[[nodiscard]] Result<Ok> wait_io(int fd, short events, Deadline deadline);

/// Where a connection attempt stopped.
enum class Stage { Connect, StartTls, Handshake, Done };

/// A target with its resolved address: everything needed to open one more connection.
struct Endpoint {
    TlsTarget target;
    Address address;
    std::string sni;  ///< sent as server_name; empty for IP literals
    std::chrono::milliseconds timeout{5000};
    /// Counts the TCP connections opened for this endpoint (null: not counted).
    std::shared_ptr<std::atomic<unsigned>> opened;
};

/// A failed step: which stage, and a one-line reason.
struct OpenFailure {
    Stage stage = Stage::Connect;
    std::string message;  ///< "connection refused", "connect timeout after 500 ms", ...
    bool timeout = false;
};

/// Connects (non-blocking) and runs the STARTTLS preamble, all within the deadline.
[[nodiscard]] std::optional<OpenFailure> open_connection(const Endpoint& endpoint,
                                                         Deadline deadline, Socket& out);

/// What to offer in one OpenSSL handshake.
struct HandshakeSpec {
    int min_version = 0;      ///< TLS1_VERSION..TLS1_3_VERSION; 0 = OpenSSL's default
    int max_version = 0;      ///< 0 = OpenSSL's default; min == max pins one version
    std::string cipher_list;  ///< TLS ≤ 1.2 cipher string; empty = OpenSSL's default
    bool legacy = false;      ///< security level 0: observe old servers, do not refuse them
    bool keep_certificate = true;
    std::string sigalgs;  ///< signature_algorithms to offer (SSL_CTX_set1_sigalgs_list); empty =
                          ///< OpenSSL's default. Offering one key type's makes a server that
                          ///< holds several certificates show that type's.
    bool request_ocsp = false;  ///< send status_request and keep a stapled OCSP response
};

/// What one OpenSSL handshake showed.
struct HandshakeOutcome {
    Stage stage = Stage::Connect;      ///< Done = handshake completed
    std::string error;                 ///< when not Done
    bool timeout = false;              ///< the peer went silent
    bool server_spoke = false;         ///< any TLS record arrived
    std::optional<ServerHello> hello;  ///< the server's choice, even if the handshake failed later
    std::string version;               ///< "TLSv1.3"
    std::string cipher;                ///< "TLS_AES_256_GCM_SHA384"
    bool cert_requested = false;       ///< a CertificateRequest arrived
    bool cert_required = false;        ///< the server ended the session without our certificate
    StringList ca_names;               ///< certificate_authorities of the request
    X509Ptr leaf;
    X509StackPtr chain;  ///< as sent by the server, leaf first
    std::vector<std::uint8_t> staple;  ///< DER OCSP response the server stapled (request_ocsp)
};

/// One handshake with OpenSSL; never throws, never waits past the endpoint's timeout per step.
[[nodiscard]] HandshakeOutcome run_handshake(const Endpoint& endpoint, const HandshakeSpec& spec);

/// What a raw ClientHello got.
struct RawHelloOutcome {
    Stage stage = Stage::Connect;  ///< Done = the server answered with TLS (hello or alert)
    std::string error;
    bool timeout = false;
    std::optional<ServerHello> hello;  ///< when the server picked a suite
    int alert = -1;                    ///< the alert description, when it refused with one
    std::uint16_t ske_group = 0;       ///< ReadTo::KeyExchange: the ECDHE group
    std::vector<std::uint8_t> ske_dh_prime;  ///< ReadTo::KeyExchange: the DHE prime (big-endian)
    bool cert_request = false;         ///< ReadTo::HelloDone: a CertificateRequest came in the flight
    /// False when the server broke off after its ServerHello (alert, hang-up, garbage, silence):
    /// `hello` stands, what the rest of the flight would have said (cert_request, ske_*) is unknown.
    bool flight_complete = true;
};

/// Sends a TLS 1.2 ClientHello offering exactly `suites` and reads the server's first answer.
[[nodiscard]] RawHelloOutcome raw_hello(const Endpoint& endpoint,
                                        const std::vector<std::uint16_t>& suites);

/// Sends the ClientHello `spec` describes and reads the server's answer, a TLS ≤ 1.2 flight as far
/// as `read_to` says. Every read bounded by the endpoint's timeout, at most 256 KiB.
[[nodiscard]] RawHelloOutcome raw_hello(const Endpoint& endpoint, const HelloSpec& spec,
                                        ReadTo read_to = ReadTo::Hello);

/// Sends an SSL 2.0 CLIENT-HELLO: Done with `hello` set (version kSsl2) when the server answers
/// with an SSL 2.0 SERVER-HELLO, Done without when it answers otherwise or hangs up.
[[nodiscard]] RawHelloOutcome raw_ssl2_hello(const Endpoint& endpoint);

/// TCP connections this process has opened to probed endpoints (for benchmarks and tests).
[[nodiscard]] std::uint64_t connections_opened() noexcept;

}  // namespace lisa::tls_detail
