# ecgfit plot bland-altman (pngcairo, 4.5 x 3.4 in)
# Render again with `gnuplot FILE.gp` from the folder ecgfit ran in; the data are inline.
reset
set encoding utf8
set terminal pngcairo size 1350,1020 noenhanced font 'Sans,8' fontscale 4.167 linewidth 4.167 pointscale 4.167 rounded
set output 'bland-altman.png'
# Okabe-Ito palette (colour-blind safe)
set linetype 1 lc rgb '#0072B2' lw 1 pt 7 ps 0.5 dt solid
set linetype 2 lc rgb '#D55E00' lw 1 pt 7 ps 0.5 dt solid
set linetype 3 lc rgb '#009E73' lw 1 pt 7 ps 0.5 dt solid
set linetype 4 lc rgb '#E69F00' lw 1 pt 7 ps 0.5 dt solid
set linetype 5 lc rgb '#56B4E9' lw 1 pt 7 ps 0.5 dt solid
set linetype 6 lc rgb '#CC79A7' lw 1 pt 7 ps 0.5 dt solid
set linetype 7 lc rgb '#F0E442' lw 1 pt 7 ps 0.5 dt solid
set linetype 8 lc rgb '#000000' lw 1 pt 7 ps 0.5 dt solid
set border 3 lw 0.8
set tics nomirror out scale 0.5
set grid lw 0.5 lc rgb '#E6E6E6'
set key noautotitle nobox
$data << EOD
# measured predicted
21.0137 24.287
25.3743 23.291
28.5016 33.4424
23.2136 27.3607
22.0965 27.2393
30.8205 25.2521
25.6593 28.1871
36.5056 35.049
23.2765 27.5752
24.6364 30.2139
39.8174 31.7084
37.4102 30.7647
37.1105 33.1863
19.4152 24.6983
18.8276 32.6358
28.5053 33.844
29.3314 30.1849
42.5254 39.7231
33.5483 26.8511
41.6432 42.6318
35.2136 32.2951
27.4896 32.3118
29.0132 30.8834
24.5279 27.1856
30.8689 29.3486
42.5823 33.3885
31.2426 31.6722
32.0431 30.0853
42.6847 40.6177
40.1335 36.5345
33.834 30.9142
23.6223 25.8143
31.3151 29.0935
22.0007 24.3629
35.0926 29.5446
29.1115 33.5709
38.0215 36.2245
32.8713 26.7545
30.3205 35.1273
34.7928 33.5714
34.2916 33.9449
34.4144 34.0833
28.8163 29.6956
27.0236 28.2529
33.4897 28.8153
34.0759 32.9843
24.8784 27.1896
30.9023 31.5136
EOD
set title 'VO2 "peak" it''s `echo x` \n @m' . "\n" . 'basic/lasso, train set, n = 48' . "\n" . 'r = 0.72 [95% CI 0.55, 0.83], MAE 3.53'
set xlabel 'Mean of measured and predicted (ml/kg/min)'
set ylabel 'Predicted − measured (ml/kg/min)'
bias = -2.22045e-16
loa_lo = -8.67383
loa_hi = 8.67383
set xrange [21.2535:42.9407]
stats $data using ($2 - $1) nooutput
span = (STATS_max > loa_hi ? STATS_max : loa_hi) - (STATS_min < loa_lo ? STATS_min : loa_lo)
set yrange [(STATS_min < loa_lo ? STATS_min : loa_lo) - 0.08 * span:(STATS_max > loa_hi ? STATS_max : loa_hi) + 0.12 * span]
set label 1 'bias 0.00' at graph 0.99, first bias right offset 0,0.55 front tc rgb '#D55E00'
set label 2 '−1.96 SD -8.67' at graph 0.99, first loa_lo right offset 0,0.55 front tc rgb '#D55E00'
set label 3 '+1.96 SD 8.67' at graph 0.99, first loa_hi right offset 0,0.55 front tc rgb '#D55E00'
plot $data using (($1 + $2) / 2):($2 - $1) with points pt 7 ps 0.35 lc rgb '#4D0072B2', \
     bias with lines lw 1.2 lc rgb '#D55E00', \
     loa_lo with lines lw 1.2 dt 2 lc rgb '#D55E00', \
     loa_hi with lines lw 1.2 dt 2 lc rgb '#D55E00'
