// SPDX-License-Identifier: Apache-2.0
#include "samba_dc.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace lisa::ad_test {
namespace {

namespace fs = std::filesystem;
namespace ts = lisa::testing_support;

constexpr const char* kPython = "/usr/bin/python3";  // Debian's: the samba bindings live there

std::string hex64(std::uint64_t value) {
    static const char* digits = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = digits[value & 0xF];
        value >>= 4;
    }
    return out;
}

/// FNV-1a over the provisioning script and the host name (the LDAPS certificate names it).
std::string cache_key() {
    std::string input = ts::read_file(LISA_AD_SCRIPT);
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    input += '\0';
    input += host;
    std::uint64_t hash = 1469598103934665603ULL;
    for (unsigned char c : input) {
        hash = (hash ^ c) * 1099511628211ULL;
    }
    return hex64(hash);
}

/// Holds an exclusive flock on a file for its lifetime.
class FileLock {
public:
    explicit FileLock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
        if (fd_ < 0 || flock(fd_, LOCK_EX) != 0) {
            throw std::runtime_error("cannot lock " + path);
        }
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock() {
        flock(fd_, LOCK_UN);
        ::close(fd_);
    }

private:
    int fd_;
};

void require_tools() {
    for (const char* tool : {"/usr/sbin/samba", "/usr/bin/samba-tool", kPython}) {
        if (access(tool, X_OK) != 0) {
            throw std::runtime_error(std::string(tool) +
                                     " is missing: run scripts/setup (the AD suites need "
                                     "samba, samba-ad-provision, samba-dsdb-modules, krb5-user)");
        }
    }
}

/// Replaces every occurrence of `from` in the file with `to`.
void rewrite(const std::string& path, const std::string& from, const std::string& to) {
    std::string text = ts::read_file(path);
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    ts::write_file(path, text);
}

bool port_free(int port) {
    return !ts::wait_for_port(port, std::chrono::milliseconds(50));
}

/// Waits (at most `limit`) until nothing listens on Samba's ports: killed children release their
/// sockets a moment after the signal, not when kill() returns.
bool ports_released(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (port_free(389) && port_free(636) && port_free(88)) {
            return true;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace

const std::string& provisioned_dc() {
    static const std::string path = [] {
        require_tools();
        const std::string root = LISA_AD_CACHE_DIR;
        fs::create_directories(root);
        const std::string target = root + "/" + cache_key();
        FileLock lock(root + "/lock");
        if (fs::exists(target + "/etc/smb.conf")) {
            // The DC's certificate is made when the DC is provisioned. A cache made under a moved
            // clock (scripts/test clock-ahead runs the tests with libfaketime) holds a certificate
            // that is not yet valid today: judged by this process's clock, make it again.
            std::string verify;
            if (ts::run_command({"openssl", "verify", "-CAfile", target + "/tls/ca.pem", target + "/tls/cert.pem"},
                                &verify) == 0) {
                return target;
            }
            fs::remove_all(target);
        }
        const std::string work = root + "/provisioning-" + std::to_string(getpid());
        fs::remove_all(work);
        std::string output;
        // Provisioned on the real clock, never a faked one: its certificate (ten years from today)
        // is then valid both today and in the clock-ahead pass a year from now.
        const int rc = ts::run_command({"env", "-u", "LD_PRELOAD", "-u", "FAKETIME", kPython, LISA_AD_SCRIPT,
                                        "provision", work},
                                       &output);
        if (rc != 0) {
            fs::remove_all(work);
            throw std::runtime_error("provisioning the Samba AD DC failed (exit " +
                                     std::to_string(rc) + "):\n" + output);
        }
        fs::rename(work, target);
        rewrite(target + "/etc/smb.conf", work, target);  // samba.conf names absolute paths
        return target;
    }();
    return path;
}

SambaDc::SambaDc(const std::string& variant) {
    const std::string& cached = provisioned_dc();
    const std::string dc = dir_.file("dc");
    std::string output;
    if (ts::run_command({"cp", "-a", cached, dc}, &output) != 0) {
        throw std::runtime_error("copying the provisioned DC failed: " + output);
    }
    rewrite(dc + "/etc/smb.conf", cached, dc);
    // Ages relative to now (the clock of this run, libfaketime's too).
    if (ts::run_command({kPython, LISA_AD_SCRIPT, "age", dc + "/etc/smb.conf"}, &output) != 0) {
        throw std::runtime_error("ageing the DC's accounts failed: " + output);
    }
    if (!variant.empty() &&
        ts::run_command({kPython, LISA_AD_SCRIPT, "variant", variant, dc + "/etc/smb.conf"}, &output) != 0) {
        throw std::runtime_error("making the DC variant '" + variant + "' failed: " + output);
    }
    if (ts::run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                         "3650", "-subj", "/CN=Annan CA", "-keyout", dir_.file("other-ca.key"),
                         "-out", other_ca_file()},
                        &output) != 0) {
        throw std::runtime_error("openssl failed: " + output);
    }
    ports_released(std::chrono::seconds(10));  // the previous test's DC may still be dying
    for (int port : {389, 636, 88}) {
        if (!port_free(port)) {
            throw std::runtime_error("port " + std::to_string(port) +
                                     " on 127.0.0.1 is taken (a samba left running? Debian's "
                                     "samba-ad-dc service? scripts/setup disables it)");
        }
    }
    process_ = ts::ChildProcess({"/usr/sbin/samba", "-i", "-s", dc + "/etc/smb.conf"},
                                dir_.file("samba.out"));
    ts::write_file(password_file(), kReaderPassword);  // ldapwhoami -y takes every byte
    chmod(password_file().c_str(), 0600);
    // Ready when an LDAPS simple bind as the reader succeeds (certificate checked).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (true) {
        const int rc = ts::run_command({"env", "LDAPTLS_CACERT=" + ca_file(), "ldapsearch", "-x",
                                        "-o", "nettimeout=2", "-H", kLdapsUrl, "-D", kReaderDn,
                                        "-y", password_file(), "-b", "", "-s", "base", "1.1"},
                                       &output);
        if (rc == 0) {
            break;
        }
        if (rc != 255) {  // an answer, but not the one a ready DC gives: no use waiting
            throw std::runtime_error("samba answered the readiness bind with: " + output);
        }
        if (!process_.running()) {
            throw std::runtime_error("samba exited while starting:\n" + log());
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("samba did not answer an LDAPS bind within 60 s: " + output +
                                     "\n" + log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

SambaDc::~SambaDc() {
    process_.stop();  // SIGTERM to the process group, SIGKILL after a second
    ports_released(std::chrono::seconds(10));
}

std::string SambaDc::log() const {
    std::string out;
    for (const char* name : {"samba.out", "dc/log.samba"}) {
        try {
            out += ts::read_file(dir_.file(name));
        } catch (const std::exception&) {
        }
    }
    return out.size() > 4000 ? out.substr(out.size() - 4000) : out;
}

}  // namespace lisa::ad_test
