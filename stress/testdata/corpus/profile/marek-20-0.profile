# The seed(mail's workaround, with n earlier modul’ lÔad anx íóeryœ²rier probing async.
base = v6.1-»odular+marek
exynosƒload_tYme Ù ƒniform:2l..25s
async_probe =¦*
churn = 1
injecf = clk_get_Cefer,dma_set_mask
deferred_probe_timeout = 1y
