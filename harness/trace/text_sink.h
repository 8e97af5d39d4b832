// TextSink: where a trace writer puts its text, piece by piece (a file, or a string in tests).
// BufferedText gathers small pieces into blocks of about `bound` bytes before it hands them on, so
// a writer never holds a whole trace file as one string, and the file sees few large writes.
//
// Thread-safety: none; one writer per BufferedText.
#ifndef PROBESTORM_HARNESS_TRACE_TEXT_SINK_H_
#define PROBESTORM_HARNESS_TRACE_TEXT_SINK_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace probestorm::harness {

using TextSink = std::function<void(std::string_view)>;

class BufferedText {
 public:
  static constexpr size_t kBlock = size_t{1} << 20;

  explicit BufferedText(const TextSink& sink, size_t bound = kBlock) : sink_(sink), bound_(bound) {
    buf_.reserve(bound + bound / 8);
  }
  ~BufferedText() { Flush(); }
  BufferedText(const BufferedText&) = delete;
  BufferedText& operator=(const BufferedText&) = delete;

  BufferedText& operator+=(std::string_view s) {
    buf_.append(s.data(), s.size());
    if (buf_.size() >= bound_) Flush();
    return *this;
  }
  BufferedText& operator+=(char c) {
    buf_.push_back(c);
    if (buf_.size() >= bound_) Flush();
    return *this;
  }
  void Flush() {
    if (buf_.empty()) return;
    sink_(buf_);
    buf_.clear();
  }

 private:
  const TextSink& sink_;
  size_t bound_;
  std::string buf_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_TRACE_TEXT_SINK_H_
