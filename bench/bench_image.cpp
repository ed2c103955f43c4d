// What SakaiBot adds to an image beyond the provider's own time (issue 10; target ≤ 30 ms p99):
//   1. in process: check_image() (magic bytes, Content-Type, full decode, Telegram fit, and any
//      conversion or scaling) plus writing the file the transport uploads (TDLib sends a local
//      file), per image;
//   2. end to end: HttpImageProvider::generate() against a loopback Pollinations that answers
//      with the image at once (HTTP, the WorkerPool hop, the check, the loop), against a bare
//      CurlHttpClient GET of the same bytes (the provider's own transfer): the difference is what
//      SakaiBot adds.
// Images are made by ImageMagick (plasma fractals: photo-like, as hard to compress as AI
// images): a 1024×1024 PNG and a 2048×2048 JPEG (the targets), plus a 1024×1024 WebP (converted)
// and a 9000×1500 PNG (scaled for Telegram) for comparison. Plain main; prints p50/p99/max.
//
//   bench_image [iterations]   (default 200, after 5 warm-up runs)
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "ai/image/image_check.h"
#include "ai/image/pollinations_provider.h"
#include "core/event_loop.h"
#include "core/worker_pool.h"
#include "net/curl_http_client.h"
#include "support/image_fixtures.h"
#include "support/loopback_server.h"

namespace {

using namespace sakai;
using namespace sakai::ai::image;
using Clock_ = std::chrono::steady_clock;

double ms_since(Clock_::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock_::now() - start).count();
}

// CPU time of the whole process (every thread: loop, HTTP, workers, the loopback server).
double process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// CPU time of the calling thread: what the work costs, whatever else the machine runs.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Stats {
  double p50 = 0, p99 = 0, max = 0;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto at = [&](double p) { return v[static_cast<std::size_t>(p * (v.size() - 1))]; };
  return {at(0.50), at(0.99), v.back()};
}

std::string plasma(int w, int h, const std::string& ext, const std::string& options = "") {
  const std::string path =
      testing::image_dir().file("plasma" + std::to_string(w) + "x" + std::to_string(h) + "." + ext);
  testing::run_tool(testing::imagemagick_tool("convert") + " -size " + std::to_string(w) + "x" +
                        std::to_string(h) + " -seed 3 plasma:fractal -depth 8 " + options + " '" +
                        path + "'",
                    "convert");
  return testing::read_binary(path);
}

struct Sample {
  std::string name;
  std::string bytes;
  std::string type;
};

// check_image + the file the transport sends: wall time, and CPU time in `cpu`.
double check_and_write(const Sample& s, const std::string& out_path, GeneratedImage* seen,
                       double* cpu = nullptr) {
  const auto start = Clock_::now();
  const double cpu_start = thread_cpu_ms();
  auto checked = check_image(s.bytes, s.type);
  if (!checked.ok()) {
    std::fprintf(stderr, "%s: %s\n", s.name.c_str(), checked.error().describe().c_str());
    std::exit(1);
  }
  {
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    out.write(checked.value().bytes.data(),
              static_cast<std::streamsize>(checked.value().bytes.size()));
  }
  const double took = ms_since(start);
  if (cpu) *cpu = thread_cpu_ms() - cpu_start;
  if (seen) *seen = std::move(checked.value());
  return took;
}

// One generate() to its end, on the loop.
double generate_once(HttpImageProvider& p, EventLoop& loop, int w, int h) {
  ImageRequest r;
  r.prompt = "a fractal";
  r.width = w;
  r.height = h;
  r.seed = 1;
  bool ok = false;
  const auto start = Clock_::now();
  p.generate(r, nullptr, [&](ai::ApiOutcome<ImageResult> o) {
    ok = o.ok();
    if (!ok) std::fprintf(stderr, "generate: %s\n", o.error().describe().c_str());
  });
  loop.run_until_idle();
  const double took = ms_since(start);
  if (!ok) std::exit(1);
  return took;
}

double fetch_once(net::HttpClient& http, EventLoop& loop, const std::string& url) {
  net::HttpRequest get;
  get.method = "GET";
  get.url = url;
  const auto start = Clock_::now();
  bool ok = false;
  loop.begin_work();
  http.start(std::move(get), nullptr, [&](Result<net::HttpResponse> r) {
    ok = r.is_ok() && r.value().status == 200;
    loop.end_work();
  });
  loop.run_until_idle();
  const double took = ms_since(start);
  if (!ok) std::exit(1);
  return took;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::max(10, std::atoi(argv[1])) : 200;
  std::vector<Sample> samples = {
      {"png 1024x1024", plasma(1024, 1024, "png"), "image/png"},
      {"jpeg 2048x2048", plasma(2048, 2048, "jpg", "-quality 90"), "image/jpeg"},
      {"webp 1024x1024 (to JPEG)", plasma(1024, 1024, "webp", "-quality 85"), "image/webp"},
      {"png 9000x1500 (scaled)", plasma(9000, 1500, "png"), "image/png"},
  };
  const std::string out_path = testing::image_dir().file("out.bin");

  std::printf("in process: check_image + write the file (%d runs)\n", iterations);
  std::printf("%-26s %9s %9s %9s %9s %9s %9s  %s\n", "image", "bytes", "p50 ms", "p99 ms", "max ms",
              "cpu p50", "cpu p99", "sent as");
  for (const Sample& s : samples) {
    GeneratedImage seen;
    const int runs =
        s.name.find("9000") != std::string::npos ? std::max(10, iterations / 10) : iterations;
    for (int i = 0; i < 5; ++i)
      check_and_write(s, out_path, &seen);
    std::vector<double> t, cpu;
    for (int i = 0; i < runs; ++i) {
      double c = 0;
      t.push_back(check_and_write(s, out_path, nullptr, &c));
      cpu.push_back(c);
    }
    const Stats st = stats(t);
    const Stats sc = stats(cpu);
    std::printf("%-26s %9zu %9.2f %9.2f %9.2f %9.2f %9.2f  %s %dx%d %zu bytes\n", s.name.c_str(),
                s.bytes.size(), st.p50, st.p99, st.max, sc.p50, sc.p99,
                std::string(image_format_name(seen.format)).c_str(), seen.width, seen.height,
                seen.bytes.size());
  }

  // End to end against a loopback Pollinations legacy endpoint answering at once.
  std::printf(
      "\nend to end (ms): generate() on a loopback server vs a bare GET of the same bytes;\n"
      "added cpu: mean CPU time of the whole process per image, generate() minus GET\n");
  std::printf("%-26s %10s %10s %10s %12s %12s\n", "image", "GET p50", "gen p50", "gen p99",
              "added p99", "added cpu");
  SystemClock clock;
  EventLoop loop(clock);
  WorkerPool workers(2);
  net::CurlHttpClient http(loop);
  test::LoopbackServer srv;
  double worst_added = 0;
  for (std::size_t k = 0; k < 2; ++k) {  // the two target images
    const Sample& s = samples[k];
    const std::string route = "/i" + std::to_string(k);
    srv.reply("GET", route + "/prompt/(.+)", 200, s.bytes, s.type);
    srv.reply("GET", route + "/raw", 200, s.bytes, s.type);
    PollinationsSettings settings;
    settings.legacy_url = srv.url(route);
    auto provider = make_pollinations_provider(ImageContext{.http = &http,
                                                            .clock = &clock,
                                                            .workers = &workers,
                                                            .loop = &loop,
                                                            .limits = ImageLimits{}},
                                               settings);
    const int side = k == 0 ? 1024 : 2048;
    for (int i = 0; i < 5; ++i) {
      generate_once(*provider, loop, side, side);
      fetch_once(http, loop, srv.url(route + "/raw"));
    }
    std::vector<double> gen, raw;
    double gen_cpu = 0;
    double raw_cpu = 0;
    for (int i = 0; i < iterations; ++i) {
      double c0 = process_cpu_ms();
      gen.push_back(generate_once(*provider, loop, side, side));
      double c1 = process_cpu_ms();
      raw.push_back(fetch_once(http, loop, srv.url(route + "/raw")));
      gen_cpu += c1 - c0;
      raw_cpu += process_cpu_ms() - c1;
    }
    const Stats g = stats(gen);
    const Stats r = stats(raw);
    const double added = g.p99 - r.p50;
    worst_added = std::max(worst_added, added);
    std::printf("%-26s %10.2f %10.2f %10.2f %12.2f %12.2f\n", s.name.c_str(), r.p50, g.p50, g.p99,
                added, (gen_cpu - raw_cpu) / iterations);
  }
  std::printf("\np99_added_ms: %.2f (target <= 30)\n", worst_added);
  return 0;
}
