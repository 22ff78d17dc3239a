// SPDX-License-Identifier: Apache-2.0
// Any bytes as a server certificate (PEM chain, and DER): the tls probe's pure certificate-to-
// facts code must never crash on what a hostile server presents.
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tls_detail.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lisa::tls_detail;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const lisa::Date as_of{20000};
    if (X509StackPtr chain = parse_pem_chain(text)) {
        for (int i = 0; i < sk_X509_num(chain.get()); ++i) {
            (void)certificate_facts(sk_X509_value(chain.get(), i), "host.example.se", as_of, "fuzz");
            (void)certificate_facts(sk_X509_value(chain.get(), i), "127.0.0.1", as_of, "fuzz");
        }
    }
    const unsigned char* p = data;
    if (X509Ptr der{d2i_X509(nullptr, &p, static_cast<long>(size))}) {
        (void)certificate_facts(der.get(), "host.example.se", as_of, "fuzz");
        (void)certificate_facts(der.get(), "::1", as_of, "fuzz");
    }
    return 0;
}
