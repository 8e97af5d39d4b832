// Models the oops text of arch/arm64/mm/fault.c and arch/arm/mm/fault.c (v6.1); see fault.h.
// Deliberate divergences: no register dump, no call trace, no "Modules linked in:" line; the
// "CPU: n PID: n Comm: name ..." line of show_regs is shortened to "Comm: <task>"; the pc has no
// +offset/size (the model has no object code).
// arm64: every task is printed as a kernel thread running on init_mm, whose TTBR0 holds the
// reserved (empty) tables of a 4-level, 48-bit VA kernel: a level 0 translation fault, and
// show_pte's "user address but active_mm is swapper" line. A task that stands for a user process
// (modprobe) or a kernel thread that lazily borrowed one's mm would instead print its own table
// walk ("user pgtable: ...", "[addr] pgd=...").
// arm32 (2-level tables): a section translation fault (fsr_info[5] in arch/arm/mm/fsr-2level.c);
// show_pte walks init_mm (a kernel thread has no mm) and finds an empty first-level entry. v6.1
// prints no decoding of the FSR: the model adds one line after the oops, marked "note:".
#include "driver/arch/fault.h"

#include <cinttypes>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "harness/engine.h"

namespace probestorm::kernel {

namespace {

std::string Hex(uint64_t v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*" PRIx64, digits, v);
  return buf;
}

std::string TaskName() {
  harness::Engine& e = harness::Current();
  return e.TaskName(e.Self());
}

// arm64 ESR_ELx of a data abort taken from EL1: EC 0x25, IL, WnR (bit 6), DFSC 0x04.
constexpr uint64_t kEsrDabtCurEl = 0x96000004;
constexpr uint64_t kEsrWnR = 1u << 6;
// arm32 FSR: status 5 (section translation fault), FSR_WRITE (bit 11).
constexpr uint32_t kFsrSectionTrans = 0x5;
constexpr uint32_t kFsrWrite = 1u << 11;

// report_bug's separator before a BUG_ON (lib/bug.c, CUT_HERE).
constexpr char kCutHere[] = "------------[ cut here ]------------";

// die(str) in hard-IRQ context panics: arm64 (arch/arm64/kernel/traps.c die) prefixes die()'s
// string ("Oops", "Oops - BUG"), arm32 (arch/arm/kernel/traps.c oops_end) does not.
std::string PanicInIrq(Arch arch, const char* die_str) {
  return absl::StrCat("Kernel panic - not syncing: ", arch == Arch::kArm64 ? absl::StrCat(die_str, ": ") : "",
                      "Fatal exception in interrupt");
}

[[noreturn]] void Die(Arch arch, Context ctx, const char* die_str, harness::InvariantId id, std::string message,
                      std::vector<std::string> devices, const std::string& oops, const std::string& why) {
  if (ctx == Context::kHardIrq) {
    const std::string panic = PanicInIrq(arch, die_str);
    harness::Panic(id, absl::StrCat(message, "; ", panic), std::move(devices),
                   absl::StrCat(oops, "\n", panic, "\n", why));
  }
  harness::Oops(id, std::move(message), std::move(devices), absl::StrCat(oops, "\n", why));
}

}  // namespace

uint32_t FieldOffset(Arch arch, const KernelField& f) { return arch == Arch::kArm64 ? f.arm64 : f.arm32; }

std::string NullDerefLine(Arch arch, uint64_t address) {
  return absl::StrCat("Unable to handle kernel NULL pointer dereference at virtual address ",
                      Hex(address, arch == Arch::kArm64 ? 16 : 8));
}

void NullDerefOops(Arch arch, Context ctx, harness::InvariantId id, const char* func, const KernelField& field,
                   bool write, const std::string& what, std::vector<std::string> devices, const std::string& why) {
  const uint32_t addr = FieldOffset(arch, field);
  const std::string line = NullDerefLine(arch, addr);
  std::string oops;
  std::string pc;
  if (arch == Arch::kArm64) {
    // die_kernel_fault: the line, mem_abort_decode (+ data_abort_decode), show_pte, die("Oops").
    const uint64_t esr = kEsrDabtCurEl | (write ? kEsrWnR : 0);
    pc = absl::StrCat("pc : ", func);
    oops = absl::StrCat(line, "\nMem abort info:\n  ESR = 0x", Hex(esr, 16),
                        "\n  EC = 0x25: DABT (current EL), IL = 32 bits\n  SET = 0, FnV = 0\n"
                        "  EA = 0, S1PTW = 0\n  FSC = 0x04: level 0 translation fault\n"
                        "Data abort info:\n  ISV = 0, ISS = 0x",
                        Hex(esr & 0x1ffffff, 8), "\n  CM = 0, WnR = ", write ? 1 : 0, "\n[", Hex(addr, 16),
                        "] user address but active_mm is swapper\nInternal error: Oops: ", Hex(esr, 16),
                        " [#1] PREEMPT SMP\nComm: ", TaskName(), "\n", pc);
  } else {
    // die_kernel_fault: "cut here", the line, show_pte, die("Oops", fsr).
    const uint32_t fsr = kFsrSectionTrans | (write ? kFsrWrite : 0);
    pc = absl::StrCat("PC is at ", func);
    oops = absl::StrCat("8<--- cut here ---\n", line, "\n[", Hex(addr, 8), "] *pgd=00000000\n",
                        "Internal error: Oops: ", absl::Hex(fsr), " [#1] SMP ARM\nComm: ", TaskName(), "\n", pc,
                        "\nnote: FSR 0x", Hex(fsr, 3), " is fsr_info[5] \"section translation fault\", ",
                        write ? "write" : "read", " (v6.1 prints no FSR decoding)");
  }
  Die(arch, ctx, "Oops", id, absl::StrCat(line, "; ", pc, "; ", what, " (", field.name, ")"), std::move(devices),
      oops, why);
}

std::string KernelBugLine(const char* file, int line) { return absl::StrCat("kernel BUG at ", file, ":", line, "!"); }

void BugOops(Arch arch, Context ctx, harness::InvariantId id, const char* file, int line, const char* func,
             std::string message, std::vector<std::string> devices, const std::string& why) {
  // arm64 BUG() is BRK #0x800 (ESR 0xf2000800): bug_handler -> report_bug -> die("Oops - BUG", esr).
  // arm32 BUG() is an undefined instruction: do_undefinstr -> arm_notify_die(err 0) -> die(), whose
  // report_bug renames the oops "Oops - BUG".
  const std::string bug = absl::StrCat(kCutHere, "\n", KernelBugLine(file, line), "\n");
  const std::string oops =
      arch == Arch::kArm64
          ? absl::StrCat(bug, "Internal error: Oops - BUG: 00000000f2000800 [#1] PREEMPT SMP\nComm: ", TaskName(),
                         "\npc : ", func)
          : absl::StrCat(bug, "Internal error: Oops - BUG: 0 [#1] SMP ARM\nComm: ", TaskName(), "\nPC is at ", func);
  Die(arch, ctx, "Oops - BUG", id, std::move(message), std::move(devices), oops, why);
}

}  // namespace probestorm::kernel
