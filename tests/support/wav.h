// RIFF/WAVE files for the speech tests: a header around integer PCM samples that are already
// encoded (little-endian, interleaved).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sakai::testing {

// Appends `v` to `b` as `n` little-endian bytes.
inline void put_le(std::string& b, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i)
    b += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// A WAVE file of `data` as `bits`-bit PCM. `info_chunk` puts an empty LIST/INFO chunk before the
// data, as many tools write (the RIFF size does not count it).
inline std::string wav_file(std::string_view data, std::uint32_t sample_rate, int channels,
                            int bits, bool info_chunk = false) {
  const auto bytes_per = static_cast<std::uint32_t>(bits / 8);
  const auto size = static_cast<std::uint32_t>(data.size());
  const auto frame = bytes_per * static_cast<std::uint32_t>(channels);
  std::string b = "RIFF";
  put_le(b, 36 + size, 4);
  b += "WAVEfmt ";
  put_le(b, 16, 4);
  put_le(b, 1, 2);
  put_le(b, static_cast<std::uint64_t>(channels), 2);
  put_le(b, sample_rate, 4);
  put_le(b, static_cast<std::uint64_t>(sample_rate) * frame, 4);
  put_le(b, frame, 2);
  put_le(b, static_cast<std::uint64_t>(bits), 2);
  if (info_chunk) {
    b += "LIST";
    put_le(b, 4, 4);
    b += "INFO";
  }
  b += "data";
  put_le(b, size, 4);
  b += data;
  return b;
}

}  // namespace sakai::testing
