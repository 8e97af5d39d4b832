// The embedded TM2E board: the team's own table of the Samsung TM2E device tree (Linux v7.1
// arch/arm64/boot/dts/exynos/exynos5433-tm2e.dts, facts read from that source; the DTB is in hwmodel/testdata/),
// compiled to a DTB at run time and loaded through LoadDtb like the real file.
//
// It holds every node that becomes a device, with its compatible, reg, status, interrupt count,
// clocks and clock-names, power-domains, iommus, #cells and every fw_devlink supplier property;
// plus, as bare stubs, the non-device nodes those properties point at (pin groups, GPIO banks,
// PMIC regulators, graph endpoints) and their ancestors, with the real `compatible` where the real
// tree has one (the PMICs, the MUIC and its regulators node, the MHL bridge: fw_devlink v6.1 links
// to the nearest node with a `compatible`). Summarised: interrupt specifiers are counts (`irqs=N`,
// zero cells); pin groups carry no pins; assigned-clocks, vendor syscon phandles, cpus, memory,
// thermal zones and disabled nodes nothing refers to are left out. embedded_tm2e_test.cc checks
// that this loads to the same devices, SysMMUs, masters and supplier links as the real DTB, and
// that every node it holds has the real node's compatible and status.
#include "hwmodel/dt/embedded_tm2e.h"

#include "absl/strings/str_format.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/dt_table.h"

namespace probestorm::hwmodel {
namespace {

// clang-format off
constexpr DtTableRow kTm2e[] = {
    {"/", "", "samsung,tm2e samsung,exynos5433",
     "#address-cells=2; #size-cells=2; interrupt-parent=&gic; model=Samsung TM2E board"},
    {"/arm-a53-pmu", "", "arm,cortex-a53-pmu", "irqs=4"},
    {"/arm-a57-pmu", "", "arm,cortex-a57-pmu", "irqs=4"},
    {"/clock", "xxti", "fixed-clock", "#clock-cells=0"},
    {"/psci", "", "arm,psci", ""},
    {"/soc@0", "", "simple-bus", "#address-cells=1; #size-cells=1; ranges=0 0 0 0x18000000"},
    {"/soc@0/chipid@10000000", "", "samsung,exynos5433-chipid samsung,exynos4210-chipid",
     "reg=0x10000000 0x100"},
    {"/soc@0/clock-controller@10030000", "cmu_top", "samsung,exynos5433-cmu-top",
     "reg=0x10030000 0x1000; #clock-cells=1; clock-names=oscclk, sclk_mphy_pll, sclk_mfc_pll, "
     "sclk_bus_pll; clocks=&xxti, &cmu_cpif 0xb, &cmu_mif 0xc5, &cmu_mif 0xc6"},
    {"/soc@0/clock-controller@10fc0000", "cmu_cpif", "samsung,exynos5433-cmu-cpif",
     "reg=0x10fc0000 0x1000; #clock-cells=1; clock-names=oscclk; clocks=&xxti"},
    {"/soc@0/clock-controller@105b0000", "cmu_mif", "samsung,exynos5433-cmu-mif",
     "reg=0x105b0000 0x2000; #clock-cells=1; clock-names=oscclk, sclk_mphy_pll; clocks=&xxti, "
     "&cmu_cpif 0xb"},
    {"/soc@0/clock-controller@14c80000", "cmu_peric", "samsung,exynos5433-cmu-peric",
     "reg=0x14c80000 0x1000; #clock-cells=1"},
    {"/soc@0/clock-controller@10040000", "cmu_peris", "samsung,exynos5433-cmu-peris",
     "reg=0x10040000 0x1000; #clock-cells=1"},
    {"/soc@0/clock-controller@156e0000", "cmu_fsys", "samsung,exynos5433-cmu-fsys",
     "reg=0x156e0000 0x1000; #clock-cells=1; clock-names=oscclk, sclk_ufs_mphy, aclk_fsys_200, "
     "sclk_pcie_100_fsys, sclk_ufsunipro_fsys, sclk_mmc2_fsys, sclk_mmc1_fsys, sclk_mmc0_fsys, "
     "sclk_usbhost30_fsys, sclk_usbdrd30_fsys; clocks=&xxti, &cmu_cpif 0xb, &cmu_top 0xca, "
     "&cmu_top 0xe4, &cmu_top 0xe5, &cmu_top 0xcb, &cmu_top 0xcc, &cmu_top 0xcd, &cmu_top 0xe6, "
     "&cmu_top 0xe7"},
    {"/soc@0/clock-controller@12460000", "", "samsung,exynos5433-cmu-g2d",
     "reg=0x12460000 0x1000; #clock-cells=1; clock-names=oscclk, aclk_g2d_266, aclk_g2d_400; "
     "clocks=&xxti, &cmu_top 0xdc, &cmu_top 0xdd; power-domains=&pd_g2d"},
    {"/soc@0/clock-controller@13b90000", "cmu_disp", "samsung,exynos5433-cmu-disp",
     "reg=0x13b90000 0x1000; #clock-cells=1; clock-names=oscclk, sclk_dsim1_disp, "
     "sclk_dsim0_disp, sclk_dsd_disp, sclk_decon_tv_eclk_disp, sclk_decon_vclk_disp, "
     "sclk_decon_eclk_disp, sclk_decon_tv_vclk_disp, aclk_disp_333; clocks=&xxti, "
     "&cmu_mif 0xb9, &cmu_mif 0xbf, &cmu_mif 0xc0, &cmu_mif 0xc1, &cmu_mif 0xc2, &cmu_mif 0xc3, "
     "&cmu_mif 0xba, &cmu_mif 0x98; power-domains=&pd_disp"},
    {"/soc@0/clock-controller@114c0000", "cmu_aud", "samsung,exynos5433-cmu-aud",
     "reg=0x114c0000 0x1000; #clock-cells=1; clock-names=oscclk, fout_aud_pll; clocks=&xxti, "
     "&cmu_top 0x2; power-domains=&pd_aud"},
    {"/soc@0/clock-controller@13600000", "", "samsung,exynos5433-cmu-bus0",
     "reg=0x13600000 0x1000; #clock-cells=1; clock-names=aclk_bus0_400; clocks=&cmu_top 0xe0"},
    {"/soc@0/clock-controller@14800000", "", "samsung,exynos5433-cmu-bus1",
     "reg=0x14800000 0x1000; #clock-cells=1; clock-names=aclk_bus1_400; clocks=&cmu_top 0xe1"},
    {"/soc@0/clock-controller@13400000", "", "samsung,exynos5433-cmu-bus2",
     "reg=0x13400000 0x1000; #clock-cells=1; clock-names=oscclk, aclk_bus2_400; clocks=&xxti, "
     "&cmu_mif 0x97"},
    {"/soc@0/clock-controller@14aa0000", "cmu_g3d", "samsung,exynos5433-cmu-g3d",
     "reg=0x14aa0000 0x2000; #clock-cells=1; clock-names=oscclk, aclk_g3d_400; clocks=&xxti, "
     "&cmu_top 0xde; power-domains=&pd_g3d"},
    {"/soc@0/clock-controller@13cf0000", "cmu_gscl", "samsung,exynos5433-cmu-gscl",
     "reg=0x13cf0000 0x1000; #clock-cells=1; clock-names=oscclk, aclk_gscl_111, aclk_gscl_333; "
     "clocks=&xxti, &cmu_top 0xe8, &cmu_top 0xe9; power-domains=&pd_gscl"},
    {"/soc@0/clock-controller@11900000", "", "samsung,exynos5433-cmu-apollo",
     "reg=0x11900000 0x2000; #clock-cells=1; clock-names=oscclk, sclk_bus_pll_apollo; "
     "clocks=&xxti, &cmu_mif 0xc7"},
    {"/soc@0/clock-controller@11800000", "", "samsung,exynos5433-cmu-atlas",
     "reg=0x11800000 0x2000; #clock-cells=1; clock-names=oscclk, sclk_bus_pll_atlas; "
     "clocks=&xxti, &cmu_mif 0xc8"},
    {"/soc@0/clock-controller@150d0000", "cmu_mscl", "samsung,exynos5433-cmu-mscl",
     "reg=0x150d0000 0x1000; #clock-cells=1; clock-names=oscclk, sclk_jpeg_mscl, aclk_mscl_400; "
     "clocks=&xxti, &cmu_top 0xea, &cmu_top 0xeb; power-domains=&pd_mscl"},
    {"/soc@0/clock-controller@15280000", "cmu_mfc", "samsung,exynos5433-cmu-mfc",
     "reg=0x15280000 0x1000; #clock-cells=1; clock-names=oscclk, aclk_mfc_400; clocks=&xxti, "
     "&cmu_top 0xec; power-domains=&pd_mfc"},
    {"/soc@0/clock-controller@14f80000", "", "samsung,exynos5433-cmu-hevc",
     "reg=0x14f80000 0x1000; #clock-cells=1; clock-names=oscclk, aclk_hevc_400; clocks=&xxti, "
     "&cmu_top 0xed; power-domains=&pd_hevc"},
    {"/soc@0/clock-controller@146d0000", "", "samsung,exynos5433-cmu-isp",
     "reg=0x146d0000 0x1000; #clock-cells=1; clock-names=oscclk, aclk_isp_dis_400, "
     "aclk_isp_400; clocks=&xxti, &cmu_top 0xee, &cmu_top 0xef; power-domains=&pd_isp"},
    {"/soc@0/clock-controller@120d0000", "", "samsung,exynos5433-cmu-cam0",
     "reg=0x120d0000 0x1000; #clock-cells=1; clock-names=oscclk, aclk_cam0_333, aclk_cam0_400, "
     "aclk_cam0_552; clocks=&xxti, &cmu_top 0xf0, &cmu_top 0xf1, &cmu_top 0xf2; "
     "power-domains=&pd_cam0"},
    {"/soc@0/clock-controller@145d0000", "", "samsung,exynos5433-cmu-cam1",
     "reg=0x145d0000 0x1000; #clock-cells=1; clock-names=oscclk, sclk_isp_uart_cam1, "
     "sclk_isp_spi1_cam1, sclk_isp_spi0_cam1, aclk_cam1_333, aclk_cam1_400, aclk_cam1_552; "
     "clocks=&xxti, &cmu_top 0xfa, &cmu_top 0xfb, &cmu_top 0xfc, &cmu_top 0xf3, &cmu_top 0xf4, "
     "&cmu_top 0xf5; power-domains=&pd_cam1"},
    {"/soc@0/clock-controller@11060000", "cmu_imem", "samsung,exynos5433-cmu-imem",
     "reg=0x11060000 0x1000; #clock-cells=1; clock-names=oscclk, aclk_imem_sssx_266, "
     "aclk_imem_266, aclk_imem_200; clocks=&xxti, &cmu_top 0x65, &cmu_top 0x67, &cmu_top 0x66"},
    {"/soc@0/slim-sss@11140000", "", "samsung,exynos5433-slim-sss",
     "reg=0x11140000 0x1000; irqs=1; clock-names=pclk, aclk; clocks=&cmu_imem 0x23, "
     "&cmu_imem 0x2"},
    {"/soc@0/power-domain@105c4000", "pd_gscl", "samsung,exynos5433-pd",
     "reg=0x105c4000 0x20; #power-domain-cells=0"},
    {"/soc@0/power-domain@105c4020", "pd_cam0", "samsung,exynos5433-pd",
     "reg=0x105c4020 0x20; #power-domain-cells=0; power-domains=&pd_cam1"},
    {"/soc@0/power-domain@105c4040", "pd_mscl", "samsung,exynos5433-pd",
     "reg=0x105c4040 0x20; #power-domain-cells=0"},
    {"/soc@0/power-domain@105c4060", "pd_g3d", "samsung,exynos5433-pd",
     "reg=0x105c4060 0x20; #power-domain-cells=0"},
    {"/soc@0/power-domain@105c4080", "pd_disp", "samsung,exynos5433-pd",
     "reg=0x105c4080 0x20; #power-domain-cells=0"},
    {"/soc@0/power-domain@105c40a0", "pd_cam1", "samsung,exynos5433-pd",
     "reg=0x105c40a0 0x20; #power-domain-cells=0"},
    {"/soc@0/power-domain@105c40c0", "pd_aud", "samsung,exynos5433-pd",
     "reg=0x105c40c0 0x20; #power-domain-cells=0"},
    {"/soc@0/power-domain@105c4120", "pd_g2d", "samsung,exynos5433-pd",
     "reg=0x105c4120 0x20; #power-domain-cells=0"},
    {"/soc@0/power-domain@105c4140", "pd_isp", "samsung,exynos5433-pd",
     "reg=0x105c4140 0x20; #power-domain-cells=0; power-domains=&pd_cam0"},
    {"/soc@0/power-domain@105c4180", "pd_mfc", "samsung,exynos5433-pd",
     "reg=0x105c4180 0x20; #power-domain-cells=0"},
    {"/soc@0/power-domain@105c41c0", "pd_hevc", "samsung,exynos5433-pd",
     "reg=0x105c41c0 0x20; #power-domain-cells=0"},
    {"/soc@0/tmu@10060000", "", "samsung,exynos5433-tmu",
     "reg=0x10060000 0x200; irqs=1; clocks=&cmu_peris 0x3, &cmu_peris 0x23; "
     "clock-names=tmu_apbif, tmu_sclk; #thermal-sensor-cells=0; status=okay; "
     "vtmu-supply=&ldo3_reg"},
    {"/soc@0/tmu@10070000", "", "samsung,exynos5433-tmu",
     "reg=0x10070000 0x200; irqs=1; clocks=&cmu_peris 0x2, &cmu_peris 0x22; "
     "clock-names=tmu_apbif, tmu_sclk; #thermal-sensor-cells=0; status=okay; "
     "vtmu-supply=&ldo3_reg"},
    {"/soc@0/tmu@10078000", "", "samsung,exynos5433-tmu",
     "reg=0x10078000 0x200; irqs=1; clocks=&cmu_peris 0x2, &cmu_peris 0x22; "
     "clock-names=tmu_apbif, tmu_sclk; #thermal-sensor-cells=0; status=okay; "
     "vtmu-supply=&ldo3_reg"},
    {"/soc@0/timer@101c0000", "", "samsung,exynos5433-mct samsung,exynos4210-mct",
     "reg=0x101c0000 0x800; irqs=12; clocks=&xxti, &cmu_peris 0x9; clock-names=fin_pll, mct"},
    {"/soc@0/ppmu@10490000", "", "samsung,exynos-ppmu-v2", "reg=0x10490000 0x2000; status=okay"},
    {"/soc@0/ppmu@104c0000", "", "samsung,exynos-ppmu-v2", "reg=0x104c0000 0x2000; status=okay"},
    {"/soc@0/pinctrl@10580000", "", "samsung,exynos5433-pinctrl",
     "reg=0x10580000 0x1a20 0x11090000 0x100; pinctrl-0=&initial_alive"},
    {"/soc@0/pinctrl@10580000/gpa2-gpio-bank", "gpa2", "",
     "gpio-controller; #gpio-cells=2; interrupt-controller; #interrupt-cells=2"},
    {"/soc@0/pinctrl@10580000/gpa3-gpio-bank", "gpa3", "",
     "gpio-controller; #gpio-cells=2; interrupt-controller; #interrupt-cells=2"},
    {"/soc@0/pinctrl@10580000/initial-state", "initial_alive", "", ""},
    {"/soc@0/pinctrl@10580000/te-irq-pins", "te_irq", "", ""},
    {"/soc@0/pinctrl@114b0000", "", "samsung,exynos5433-pinctrl",
     "reg=0x114b0000 0x1000; irqs=1; power-domains=&pd_aud"},
    {"/soc@0/pinctrl@10fe0000", "", "samsung,exynos5433-pinctrl",
     "reg=0x10fe0000 0x1000; irqs=1; pinctrl-0=&initial_cpif"},
    {"/soc@0/pinctrl@10fe0000/initial-state", "initial_cpif", "", ""},
    {"/soc@0/pinctrl@14ca0000", "", "samsung,exynos5433-pinctrl",
     "reg=0x14ca0000 0x1000; irqs=1; pinctrl-0=&initial_ese"},
    {"/soc@0/pinctrl@14ca0000/pcie-wlanen-pins", "pcie_wlanen", "", ""},
    {"/soc@0/pinctrl@14ca0000/initial-state", "initial_ese", "", ""},
    {"/soc@0/pinctrl@14cb0000", "", "samsung,exynos5433-pinctrl", "reg=0x14cb0000 0x1000; irqs=1"},
    {"/soc@0/pinctrl@15690000", "", "samsung,exynos5433-pinctrl",
     "reg=0x15690000 0x1000; irqs=1; pinctrl-0=&initial_fsys"},
    {"/soc@0/pinctrl@15690000/gpr3-gpio-bank", "gpr3", "",
     "gpio-controller; #gpio-cells=2; interrupt-controller; #interrupt-cells=2"},
    {"/soc@0/pinctrl@15690000/sd0-clk-pins", "sd0_clk", "", ""},
    {"/soc@0/pinctrl@15690000/sd0-cmd-pins", "sd0_cmd", "", ""},
    {"/soc@0/pinctrl@15690000/sd0-rdqs-pins", "sd0_rdqs", "", ""},
    {"/soc@0/pinctrl@15690000/sd0-qrdy-pins", "sd0_qrdy", "", ""},
    {"/soc@0/pinctrl@15690000/sd0-bus-width1-pins", "sd0_bus1", "", ""},
    {"/soc@0/pinctrl@15690000/sd0-bus-width4-pins", "sd0_bus4", "", ""},
    {"/soc@0/pinctrl@15690000/sd0-bus-width8-pins", "sd0_bus8", "", ""},
    {"/soc@0/pinctrl@15690000/pcie-bus-pins", "pcie_bus", "", ""},
    {"/soc@0/pinctrl@15690000/sd2-clk-pins", "sd2_clk", "", ""},
    {"/soc@0/pinctrl@15690000/sd2-cmd-pins", "sd2_cmd", "", ""},
    {"/soc@0/pinctrl@15690000/sd2-bus-width1-pins", "sd2_bus1", "", ""},
    {"/soc@0/pinctrl@15690000/sd2-bus-width4-pins", "sd2_bus4", "", ""},
    {"/soc@0/pinctrl@15690000/initial-state", "initial_fsys", "", ""},
    {"/soc@0/pinctrl@11090000", "", "samsung,exynos5433-pinctrl",
     "reg=0x11090000 0x1000; irqs=1; pinctrl-0=&initial_imem"},
    {"/soc@0/pinctrl@11090000/initial-state", "initial_imem", "", ""},
    {"/soc@0/pinctrl@14cd0000", "", "samsung,exynos5433-pinctrl",
     "reg=0x14cd0000 0x1000; irqs=1; pinctrl-0=&initial_nfc"},
    {"/soc@0/pinctrl@14cd0000/hs-i2c4-bus-pins", "hs_i2c4_bus", "", ""},
    {"/soc@0/pinctrl@14cd0000/initial-state", "initial_nfc", "", ""},
    {"/soc@0/pinctrl@14cc0000", "", "samsung,exynos5433-pinctrl",
     "reg=0x14cc0000 0x1100; irqs=1; pinctrl-0=&initial_peric"},
    {"/soc@0/pinctrl@14cc0000/gpd0-gpio-bank", "gpd0", "",
     "gpio-controller; #gpio-cells=2; interrupt-controller; #interrupt-cells=2"},
    {"/soc@0/pinctrl@14cc0000/gpd6-gpio-bank", "gpd6", "",
     "gpio-controller; #gpio-cells=2; interrupt-controller; #interrupt-cells=2"},
    {"/soc@0/pinctrl@14cc0000/hs-i2c8-bus-pins", "hs_i2c8_bus", "", ""},
    {"/soc@0/pinctrl@14cc0000/uart1-bus-pins", "uart1_bus", "", ""},
    {"/soc@0/pinctrl@14cc0000/hs-i2c0-bus-pins", "hs_i2c0_bus", "", ""},
    {"/soc@0/pinctrl@14cc0000/pwm0-out-pins", "pwm0_out", "", ""},
    {"/soc@0/pinctrl@14cc0000/spi1-bus-pins", "spi1_bus", "", ""},
    {"/soc@0/pinctrl@14cc0000/hs-i2c7-bus-pins", "hs_i2c7_bus", "", ""},
    {"/soc@0/pinctrl@14cc0000/hs-i2c11-bus-pins", "hs_i2c11_bus", "", ""},
    {"/soc@0/pinctrl@14cc0000/spi3-bus-pins", "spi3_bus", "", ""},
    {"/soc@0/pinctrl@14cc0000/initial-state", "initial_peric", "", ""},
    {"/soc@0/pinctrl@14ce0000", "", "samsung,exynos5433-pinctrl",
     "reg=0x14ce0000 0x1100; irqs=1; pinctrl-0=&initial_touch"},
    {"/soc@0/pinctrl@14ce0000/hs-i2c5-bus-pins", "hs_i2c5_bus", "", ""},
    {"/soc@0/pinctrl@14ce0000/initial-state", "initial_touch", "", ""},
    {"/soc@0/system-controller@105c0000", "", "samsung,exynos5433-pmu simple-mfd syscon",
     "reg=0x105c0000 0x5008; #clock-cells=1; clock-names=clkout16; clocks=&xxti"},
    {"/soc@0/system-controller@105c0000/mipi-phy", "mipi_phy", "samsung,exynos5433-mipi-video-phy",
     "#phy-cells=1"},
    {"/soc@0/system-controller@105c0000/syscon-reboot", "", "syscon-reboot", ""},
    {"/soc@0/interrupt-controller@11001000", "gic", "arm,gic-400",
     "#address-cells=0; #interrupt-cells=3; interrupt-controller; "
     "reg=0x11001000 0x1000 0x11002000 0x2000 0x11004000 0x2000 0x11006000 0x2000; irqs=1"},
    {"/soc@0/decon@13800000", "", "samsung,exynos5433-decon",
     "reg=0x13800000 0x2104; clocks=&cmu_disp 0x71, &cmu_disp 0x29, &cmu_disp 0x2d, "
     "&cmu_disp 0x3e, &cmu_disp 0x46, &cmu_disp 0x2c, &cmu_disp 0x3d, &cmu_disp 0x45, "
     "&cmu_disp 0x6b, &cmu_disp 0x6c, &cmu_disp 0x67; clock-names=pclk, aclk_decon, "
     "aclk_smmu_decon0x, aclk_xiu_decon0x, pclk_smmu_decon0x, aclk_smmu_decon1x, "
     "aclk_xiu_decon1x, pclk_smmu_decon1x, sclk_decon_vclk, sclk_decon_eclk, dsd; "
     "power-domains=&pd_disp; irqs=3; status=okay; iommus=&sysmmu_decon0x, &sysmmu_decon1x"},
    {"/soc@0/decon@13800000/ports/port@0/endpoint", "decon_to_mic", "",
     "remote-endpoint=&mic_to_decon"},
    {"/soc@0/decon@13880000", "", "samsung,exynos5433-decon-tv",
     "reg=0x13880000 0x20b8; clocks=&cmu_disp 0x58, &cmu_disp 0x28, &cmu_disp 0x2b, "
     "&cmu_disp 0x3c, &cmu_disp 0x44, &cmu_disp 0x2a, &cmu_disp 0x3b, &cmu_disp 0x43, "
     "&cmu_disp 0x5e, &cmu_disp 0x6a, &cmu_disp 0x67; clock-names=pclk, aclk_decon, "
     "aclk_smmu_decon0x, aclk_xiu_decon0x, pclk_smmu_decon0x, aclk_smmu_decon1x, "
     "aclk_xiu_decon1x, pclk_smmu_decon1x, sclk_decon_vclk, sclk_decon_eclk, dsd; "
     "power-domains=&pd_disp; irqs=3; status=okay; iommus=&sysmmu_tv0x, &sysmmu_tv1x"},
    {"/soc@0/decon@13880000/ports/port@0/endpoint", "tv_to_hdmi", "",
     "remote-endpoint=&hdmi_to_tv"},
    {"/soc@0/dsi@13900000", "", "samsung,exynos5433-mipi-dsi",
     "reg=0x13900000 0xc0; irqs=1; phys=&mipi_phy 0x1; clocks=&cmu_disp 0x57, &cmu_disp 0x5f, "
     "&cmu_disp 0x60, &cmu_disp 0x65, &cmu_disp 0x69; clock-names=bus_clk, "
     "phyclk_mipidphy0_bitclkdiv8, phyclk_mipidphy0_rxclkesc0, sclk_rgb_vclk_to_dsim0, "
     "sclk_mipi; power-domains=&pd_disp; status=okay; #address-cells=1; #size-cells=0; "
     "vddcore-supply=&ldo6_reg; vddio-supply=&ldo7_reg; pinctrl-0=&te_irq"},
    {"/soc@0/dsi@13900000/ports/port@0/endpoint", "dsi_to_mic", "", "remote-endpoint=&mic_to_dsi"},
    {"/soc@0/mic@13930000", "", "samsung,exynos5433-mic",
     "reg=0x13930000 0x48; clocks=&cmu_disp 0x55, &cmu_disp 0x66; clock-names=pclk_mic0, "
     "sclk_rgb_vclk_to_mic0; power-domains=&pd_disp; status=okay"},
    {"/soc@0/mic@13930000/ports/port@0/endpoint", "mic_to_decon", "",
     "remote-endpoint=&decon_to_mic"},
    {"/soc@0/mic@13930000/ports/port@1/endpoint", "mic_to_dsi", "", "remote-endpoint=&dsi_to_mic"},
    {"/soc@0/hdmi@13970000", "", "samsung,exynos5433-hdmi",
     "reg=0x13970000 0x70000; irqs=1; clocks=&cmu_disp 0x54, &cmu_disp 0x53, &cmu_disp 0x61, "
     "&cmu_disp 0x62, &cmu_disp 0x70, &cmu_disp 0xf, &cmu_disp 0x6f, &cmu_disp 0x10, &xxti, "
     "&cmu_disp 0x68; clock-names=hdmi_pclk, hdmi_i_pclk, i_tmds_clk, i_pixel_clk, tmds_clko, "
     "tmds_clko_user, pixel_clko, pixel_clko_user, oscclk, i_spdif_clk; #sound-dai-cells=0; "
     "status=okay; hpd-gpios=&gpa3 0x0 0x0; vdd-supply=&ldo6_reg; vdd_osc-supply=&ldo7_reg; "
     "vdd_pll-supply=&ldo6_reg"},
    {"/soc@0/hdmi@13970000/ports/port@0/endpoint", "hdmi_to_tv", "", "remote-endpoint=&tv_to_hdmi"},
    {"/soc@0/hdmi@13970000/ports/port@1/endpoint", "", "", "remote-endpoint=&mhl_to_hdmi"},
    {"/soc@0/syscon@13b80000", "",
     "samsung,exynos5433-disp-sysreg samsung,exynos5433-sysreg syscon",
     "reg=0x13b80000 0x1010"},
    {"/soc@0/syscon@120f0000", "",
     "samsung,exynos5433-cam0-sysreg samsung,exynos5433-sysreg syscon",
     "reg=0x120f0000 0x1020"},
    {"/soc@0/syscon@145f0000", "",
     "samsung,exynos5433-cam1-sysreg samsung,exynos5433-sysreg syscon",
     "reg=0x145f0000 0x1038"},
    {"/soc@0/syscon@156f0000", "",
     "samsung,exynos5433-fsys-sysreg samsung,exynos5433-sysreg syscon",
     "reg=0x156f0000 0x1044"},
    {"/soc@0/video-scaler@13c00000", "", "samsung,exynos5433-gsc",
     "reg=0x13c00000 0x1000; irqs=1; clock-names=pclk, aclk, aclk_xiu, aclk_gsclbend, gsd; "
     "clocks=&cmu_gscl 0x19, &cmu_gscl 0xe, &cmu_gscl 0x7, &cmu_gscl 0xa, &cmu_gscl 0xb; "
     "iommus=&sysmmu_gscl0; power-domains=&pd_gscl"},
    {"/soc@0/video-scaler@13c10000", "", "samsung,exynos5433-gsc",
     "reg=0x13c10000 0x1000; irqs=1; clock-names=pclk, aclk, aclk_xiu, aclk_gsclbend, gsd; "
     "clocks=&cmu_gscl 0x18, &cmu_gscl 0xd, &cmu_gscl 0x7, &cmu_gscl 0xa, &cmu_gscl 0xb; "
     "iommus=&sysmmu_gscl1; power-domains=&pd_gscl"},
    {"/soc@0/video-scaler@13c20000", "", "samsung,exynos5433-gsc",
     "reg=0x13c20000 0x1000; irqs=1; clock-names=pclk, aclk, aclk_xiu, aclk_gsclbend, gsd; "
     "clocks=&cmu_gscl 0x17, &cmu_gscl 0xc, &cmu_gscl 0x7, &cmu_gscl 0xa, &cmu_gscl 0xb; "
     "iommus=&sysmmu_gscl2; power-domains=&pd_gscl"},
    {"/soc@0/gpu@14ac0000", "", "samsung,exynos5433-mali arm,mali-t760",
     "reg=0x14ac0000 0x5000; irqs=3; clocks=&cmu_g3d 0xe; clock-names=core; "
     "power-domains=&pd_g3d; status=okay; mali-supply=&buck6_reg"},
    {"/soc@0/scaler@15000000", "", "samsung,exynos5433-scaler",
     "reg=0x15000000 0x1294; irqs=1; clock-names=pclk, aclk, aclk_xiu; clocks=&cmu_mscl 0x19, "
     "&cmu_mscl 0xe, &cmu_mscl 0x9; iommus=&sysmmu_scaler_0; power-domains=&pd_mscl"},
    {"/soc@0/scaler@15010000", "", "samsung,exynos5433-scaler",
     "reg=0x15010000 0x1294; irqs=1; clock-names=pclk, aclk, aclk_xiu; clocks=&cmu_mscl 0x18, "
     "&cmu_mscl 0xd, &cmu_mscl 0x9; iommus=&sysmmu_scaler_1; power-domains=&pd_mscl"},
    {"/soc@0/codec@15020000", "", "samsung,exynos5433-jpeg",
     "reg=0x15020000 0x10000; irqs=1; clock-names=pclk, aclk, aclk_xiu, sclk; "
     "clocks=&cmu_mscl 0x17, &cmu_mscl 0xc, &cmu_mscl 0x9, &cmu_mscl 0x1d; iommus=&sysmmu_jpeg; "
     "power-domains=&pd_mscl"},
    {"/soc@0/codec@152e0000", "", "samsung,exynos5433-mfc",
     "reg=0x152e0000 0x10000; irqs=1; clock-names=pclk, aclk, aclk_xiu; clocks=&cmu_mfc 0x10, "
     "&cmu_mfc 0x9, &cmu_mfc 0x6; iommus=&sysmmu_mfc_0, &sysmmu_mfc_1; power-domains=&pd_mfc"},
    {"/soc@0/sysmmu@13a00000", "sysmmu_decon0x", "samsung,exynos-sysmmu",
     "reg=0x13a00000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_disp 0x2d, "
     "&cmu_disp 0x46; power-domains=&pd_disp; #iommu-cells=0"},
    {"/soc@0/sysmmu@13a10000", "sysmmu_decon1x", "samsung,exynos-sysmmu",
     "reg=0x13a10000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_disp 0x2c, "
     "&cmu_disp 0x45; #iommu-cells=0; power-domains=&pd_disp"},
    {"/soc@0/sysmmu@13a20000", "sysmmu_tv0x", "samsung,exynos-sysmmu",
     "reg=0x13a20000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_disp 0x2b, "
     "&cmu_disp 0x44; #iommu-cells=0; power-domains=&pd_disp"},
    {"/soc@0/sysmmu@13a30000", "sysmmu_tv1x", "samsung,exynos-sysmmu",
     "reg=0x13a30000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_disp 0x2a, "
     "&cmu_disp 0x43; #iommu-cells=0; power-domains=&pd_disp"},
    {"/soc@0/sysmmu@13c80000", "sysmmu_gscl0", "samsung,exynos-sysmmu",
     "reg=0x13c80000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_gscl 0xf, "
     "&cmu_gscl 0x1a; #iommu-cells=0; power-domains=&pd_gscl"},
    {"/soc@0/sysmmu@13c90000", "sysmmu_gscl1", "samsung,exynos-sysmmu",
     "reg=0x13c90000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_gscl 0x10, "
     "&cmu_gscl 0x1b; #iommu-cells=0; power-domains=&pd_gscl"},
    {"/soc@0/sysmmu@13ca0000", "sysmmu_gscl2", "samsung,exynos-sysmmu",
     "reg=0x13ca0000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_gscl 0x11, "
     "&cmu_gscl 0x1c; #iommu-cells=0; power-domains=&pd_gscl"},
    {"/soc@0/sysmmu@15040000", "sysmmu_scaler_0", "samsung,exynos-sysmmu",
     "reg=0x15040000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_mscl 0xf, "
     "&cmu_mscl 0x1a; #iommu-cells=0; power-domains=&pd_mscl"},
    {"/soc@0/sysmmu@15050000", "sysmmu_scaler_1", "samsung,exynos-sysmmu",
     "reg=0x15050000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_mscl 0x10, "
     "&cmu_mscl 0x1b; #iommu-cells=0; power-domains=&pd_mscl"},
    {"/soc@0/sysmmu@15060000", "sysmmu_jpeg", "samsung,exynos-sysmmu",
     "reg=0x15060000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_mscl 0x11, "
     "&cmu_mscl 0x1c; #iommu-cells=0; power-domains=&pd_mscl"},
    {"/soc@0/sysmmu@15200000", "sysmmu_mfc_0", "samsung,exynos-sysmmu",
     "reg=0x15200000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_mfc 0xb, "
     "&cmu_mfc 0x12; #iommu-cells=0; power-domains=&pd_mfc"},
    {"/soc@0/sysmmu@15210000", "sysmmu_mfc_1", "samsung,exynos-sysmmu",
     "reg=0x15210000 0x1000; irqs=1; clock-names=aclk, pclk; clocks=&cmu_mfc 0xa, "
     "&cmu_mfc 0x11; #iommu-cells=0; power-domains=&pd_mfc"},
    {"/soc@0/serial@14c20000", "", "samsung,exynos5433-uart",
     "reg=0x14c20000 0x100; irqs=1; clocks=&cmu_peric 0x5, &cmu_peric 0x23; clock-names=uart, "
     "clk_uart_baud0; pinctrl-0=&uart1_bus; status=okay"},
    {"/soc@0/spi@14d30000", "", "samsung,exynos5433-spi",
     "reg=0x14d30000 0x100; irqs=1; dmas=&pdma0 0xb, &pdma0 0xa; #address-cells=1; "
     "#size-cells=0; clocks=&cmu_peric 0x2, &cmu_peric 0x20, &cmu_peric 0x3c; clock-names=spi, "
     "spi_busclk0, spi_ioclk; pinctrl-0=&spi1_bus; status=okay; cs-gpios=&gpd6 0x3 0x0"},
    {"/soc@0/spi@14d50000", "", "samsung,exynos5433-spi",
     "reg=0x14d50000 0x100; irqs=1; dmas=&pdma0 0x17, &pdma0 0x16; #address-cells=1; "
     "#size-cells=0; clocks=&cmu_peric 0x14, &cmu_peric 0x1e, &cmu_peric 0x37; clock-names=spi, "
     "spi_busclk0, spi_ioclk; pinctrl-0=&spi3_bus; status=okay"},
    {"/soc@0/adc@14d10000", "", "samsung,exynos5433-adc samsung,exynos7-adc",
     "reg=0x14d10000 0x100; irqs=1; clock-names=adc; clocks=&cmu_peric 0x30; "
     "#io-channel-cells=1; status=okay; vdd-supply=&ldo3_reg"},
    {"/soc@0/i2s@14d60000", "", "samsung,exynos5433-i2s samsung,exynos7-i2s",
     "reg=0x14d60000 0x100; dmas=&pdma0 0x1f, &pdma0 0x1e; irqs=1; clocks=&cmu_peric 0x2f, "
     "&cmu_peric 0x2f, &cmu_peric 0x41; clock-names=iis, i2s_opclk0, i2s_opclk1; "
     "#clock-cells=1; #sound-dai-cells=1; status=okay"},
    {"/soc@0/pwm@14dd0000", "", "samsung,exynos5433-pwm samsung,exynos4210-pwm",
     "reg=0x14dd0000 0x100; irqs=5; clocks=&cmu_peric 0x2c; clock-names=timers; #pwm-cells=3; "
     "status=okay; pinctrl-0=&pwm0_out"},
    {"/soc@0/i2c@14e40000", "", "samsung,exynos5433-hsi2c samsung,exynos7-hsi2c",
     "reg=0x14e40000 0x1000; irqs=1; #address-cells=1; #size-cells=0; pinctrl-0=&hs_i2c0_bus; "
     "clocks=&cmu_peric 0xa; clock-names=hsi2c; status=okay"},
    {"/soc@0/i2c@14e40000/pmic@66", "", "samsung,s2mps13-pmic", ""},
    {"/soc@0/i2c@14e40000/pmic@66/regulators/LDO3", "ldo3_reg", "", ""},
    {"/soc@0/i2c@14e40000/pmic@66/regulators/LDO6", "ldo6_reg", "", ""},
    {"/soc@0/i2c@14e40000/pmic@66/regulators/LDO7", "ldo7_reg", "", ""},
    {"/soc@0/i2c@14e40000/pmic@66/regulators/LDO10", "ldo10_reg", "", ""},
    {"/soc@0/i2c@14e40000/pmic@66/regulators/BUCK4", "buck4_reg", "", ""},
    {"/soc@0/i2c@14e40000/pmic@66/regulators/BUCK6", "buck6_reg", "", ""},
    {"/soc@0/i2c@14ec0000", "", "samsung,exynos5433-hsi2c samsung,exynos7-hsi2c",
     "reg=0x14ec0000 0x1000; irqs=1; #address-cells=1; #size-cells=0; pinctrl-0=&hs_i2c4_bus; "
     "clocks=&cmu_peric 0x1c; clock-names=hsi2c; status=okay"},
    {"/soc@0/i2c@14ed0000", "", "samsung,exynos5433-hsi2c samsung,exynos7-hsi2c",
     "reg=0x14ed0000 0x1000; irqs=1; #address-cells=1; #size-cells=0; pinctrl-0=&hs_i2c5_bus; "
     "clocks=&cmu_peric 0x1b; clock-names=hsi2c; status=okay"},
    {"/soc@0/i2c@14ef0000", "", "samsung,exynos5433-hsi2c samsung,exynos7-hsi2c",
     "reg=0x14ef0000 0x1000; irqs=1; #address-cells=1; #size-cells=0; pinctrl-0=&hs_i2c7_bus; "
     "clocks=&cmu_peric 0x19; clock-names=hsi2c; status=okay"},
    {"/soc@0/i2c@14ef0000/bridge@39", "", "sil,sii8620", ""},
    {"/soc@0/i2c@14ef0000/bridge@39/ports/port@0/endpoint", "mhl_to_hdmi", "", ""},
    {"/soc@0/i2c@14d90000", "", "samsung,exynos5433-hsi2c samsung,exynos7-hsi2c",
     "reg=0x14d90000 0x1000; irqs=1; #address-cells=1; #size-cells=0; pinctrl-0=&hs_i2c8_bus; "
     "clocks=&cmu_peric 0x18; clock-names=hsi2c; status=okay"},
    {"/soc@0/i2c@14d90000/pmic@66", "", "maxim,max77843", ""},
    {"/soc@0/i2c@14d90000/pmic@66/extcon", "", "maxim,max77843-muic", ""},
    {"/soc@0/i2c@14d90000/pmic@66/extcon/ports/port/endpoint", "muic_to_usb", "", ""},
    {"/soc@0/i2c@14d90000/pmic@66/regulators", "", "maxim,max77843-regulator", ""},
    {"/soc@0/i2c@14d90000/pmic@66/regulators/SAFEOUT1", "safeout1_reg", "", ""},
    {"/soc@0/i2c@14df0000", "", "samsung,exynos5433-hsi2c samsung,exynos7-hsi2c",
     "reg=0x14df0000 0x1000; irqs=1; #address-cells=1; #size-cells=0; pinctrl-0=&hs_i2c11_bus; "
     "clocks=&cmu_peric 0x15; clock-names=hsi2c; status=okay"},
    {"/soc@0/usb@15400000", "", "samsung,exynos5433-dwusb3",
     "clocks=&cmu_fsys 0x3b, &cmu_fsys 0x72, &cmu_fsys 0x6e, &cmu_fsys 0x6d; clock-names=aclk, "
     "susp_clk, phyclk, pipe_pclk; #address-cells=1; #size-cells=1; "
     "ranges=0 0x15400000 0x10000; status=okay; vdd33-supply=&ldo10_reg; vdd10-supply=&ldo6_reg"},
    {"/soc@0/phy@15500000", "", "samsung,exynos5433-usbdrd-phy",
     "reg=0x15500000 0x100; clocks=&cmu_fsys 0x3b, &xxti, &cmu_fsys 0x6e, &cmu_fsys 0x6d, "
     "&cmu_fsys 0x72; clock-names=phy, ref, phy_utmi, phy_pipe, itp; #phy-cells=1; status=okay; "
     "vbus-supply=&safeout1_reg"},
    {"/soc@0/phy@15500000/port/endpoint", "", "", "remote-endpoint=&muic_to_usb"},
    {"/soc@0/mmc@15540000", "", "samsung,exynos5433-dw-mshc-smu samsung,exynos7-dw-mshc-smu",
     "irqs=1; #address-cells=1; #size-cells=0; reg=0x15540000 0x2000; clocks=&cmu_fsys 0x37, "
     "&cmu_fsys 0x3f; clock-names=biu, ciu; status=okay; pinctrl-0=&sd0_clk, &sd0_cmd, "
     "&sd0_qrdy, &sd0_bus1, &sd0_bus4, &sd0_bus8, &sd0_rdqs"},
    {"/soc@0/mmc@15560000", "", "samsung,exynos5433-dw-mshc-smu samsung,exynos7-dw-mshc-smu",
     "irqs=1; #address-cells=1; #size-cells=0; reg=0x15560000 0x2000; clocks=&cmu_fsys 0x35, "
     "&cmu_fsys 0x3d; clock-names=biu, ciu; status=okay; cd-gpios=&gpa2 0x4 0x1; "
     "pinctrl-0=&sd2_clk, &sd2_cmd, &sd2_bus1, &sd2_bus4"},
    {"/soc@0/dma-controller@15610000", "pdma0", "arm,pl330 arm,primecell",
     "reg=0x15610000 0x1000; irqs=1; clocks=&cmu_fsys 0x41; clock-names=apb_pclk; #dma-cells=1"},
    {"/soc@0/dma-controller@15600000", "", "arm,pl330 arm,primecell",
     "reg=0x15600000 0x1000; irqs=1; clocks=&cmu_fsys 0x40; clock-names=apb_pclk; #dma-cells=1"},
    {"/soc@0/audio-subsystem@11400000", "", "samsung,exynos5433-lpass",
     "reg=0x11400000 0x100 0x11500000 8; clocks=&cmu_aud 0x25; clock-names=sfr0_ctrl; "
     "power-domains=&pd_aud; #address-cells=1; #size-cells=1; ranges"},
    {"/soc@0/pcie-phy@15680000", "pcie_phy", "samsung,exynos5433-pcie-phy",
     "reg=0x15680000 0x1000; #phy-cells=0; status=okay"},
    {"/soc@0/pcie@15700000", "", "samsung,exynos5433-pcie",
     "reg=0x15700000 0x1000 0x156b0000 0x1000 0xc000000 0x1000; #address-cells=3; "
     "#size-cells=2; #interrupt-cells=1; irqs=1; clocks=&cmu_fsys 0x73, &cmu_fsys 0x59; "
     "clock-names=pcie, pcie_bus; phys=&pcie_phy; "
     "ranges=0x81000000 0 0 0xc001000 0 0x10000 0x82000000 0 0xc011000 0xc011000 0 0x3feefff; "
     "status=okay; pinctrl-0=&pcie_bus, &pcie_wlanen; vdd10-supply=&ldo6_reg; "
     "vdd18-supply=&ldo7_reg"},
    {"/timer", "", "arm,armv8-timer", "irqs=4"},
    {"/bus0", "", "samsung,exynos-bus",
     "clocks=&cmu_top 0xdd; clock-names=bus; status=okay; vdd-supply=&buck4_reg"},
    {"/bus1", "", "samsung,exynos-bus", "clocks=&cmu_top 0xdc; clock-names=bus; status=okay"},
    {"/bus2", "", "samsung,exynos-bus", "clocks=&cmu_top 0xe9; clock-names=bus; status=okay"},
    {"/bus3", "", "samsung,exynos-bus", "clocks=&cmu_top 0xed; clock-names=bus; status=okay"},
    {"/bus4", "", "samsung,exynos-bus", "clocks=&cmu_top 0xea; clock-names=bus; status=okay"},
    {"/bus5", "", "samsung,exynos-bus", "clocks=&cmu_top 0xec; clock-names=bus; status=okay"},
    {"/bus6", "", "samsung,exynos-bus", "clocks=&cmu_top 0xeb; clock-names=bus; status=okay"},
    {"/bus7", "", "samsung,exynos-bus", "clocks=&cmu_top 0xe0; clock-names=bus; status=okay"},
    {"/bus8", "", "samsung,exynos-bus", "clocks=&cmu_top 0xe1; clock-names=bus; status=okay"},
    {"/bus9", "", "samsung,exynos-bus", "clocks=&cmu_mif 0x97; clock-names=bus; status=okay"},
    {"/gpio-keys", "", "gpio-keys", ""},
    {"/i2c-13", "", "i2c-gpio",
     "sda-gpios=&gpd0 0x1 0x0; scl-gpios=&gpd0 0x0 0x0; #address-cells=1; #size-cells=0"},
    {"/regulator-vph-pwr", "", "regulator-fixed", ""},
    {"/regulator-irda", "", "regulator-fixed", "gpio=&gpr3 0x3 0x0"},
    {"/sound", "", "samsung,tm2-audio", "mic-bias-gpios=&gpr3 0x2 0x0; model=wm5110"},
};
// clang-format on

}  // namespace

absl::StatusOr<std::vector<uint8_t>> EmbeddedTm2eDtb() { return CompileDtTable(kTm2e); }

absl::StatusOr<Board> LoadEmbeddedBoard(std::string_view spec) {
  constexpr std::string_view kKnown = "embedded:tm2e";
  if (spec != kKnown) {
    return absl::InvalidArgumentError(
        absl::StrFormat("unknown embedded board \"%s\" (known: %s)", spec, kKnown));
  }
  absl::StatusOr<std::vector<uint8_t>> dtb = EmbeddedTm2eDtb();
  if (!dtb.ok()) return dtb.status();
  return LoadDtb(*dtb, std::string(spec));
}

}  // namespace probestorm::hwmodel
