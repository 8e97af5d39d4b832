// FiberStackPool: mmap'd fiber stacks with a guard page, recycled per OS thread so that runs with
// thousands of tasks do not mmap/munmap each one. Satisfies Boost.Context's StackAllocator.
//
// Thread-safety: the pool is thread_local; PooledStack is a handle to the calling thread's pool.
#ifndef PROBESTORM_HARNESS_FIBER_STACK_H_
#define PROBESTORM_HARNESS_FIBER_STACK_H_

#include <cstddef>

#include <boost/context/stack_context.hpp>

namespace probestorm::harness {

class PooledStack {
 public:
  // `out`, if set, receives each allocated stack (sanitizer fiber annotations need its bounds).
  explicit PooledStack(size_t bytes, boost::context::stack_context* out = nullptr)
      : bytes_(bytes), out_(out) {}
  boost::context::stack_context allocate();
  void deallocate(boost::context::stack_context& sc) noexcept;

 private:
  size_t bytes_;
  boost::context::stack_context* out_;
};

// The deepest any stack of the calling thread's pool has been used, in bytes, from the pages the
// kernel made resident (mincore over the pooled stacks, page granularity): tasks pay nothing for
// the measurement. Stacks go back to the pool when their task ends, so call it after a run.
size_t PooledStackHighWater();

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_FIBER_STACK_H_
