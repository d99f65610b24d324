# ecgfit plot scatter (pngcairo, 3.5 x 3.8 in)
# Render again with `gnuplot FILE.gp` from the folder ecgfit ran in; the data are inline.
reset
set encoding utf8
set terminal pngcairo size 1050,1140 noenhanced font 'Sans,8' fontscale 4.167 linewidth 4.167 pointscale 4.167 rounded
set output 'scatter.png'
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
22.9269 29.7639
29.3807 34.7134
33.7428 26.6028
26.139 31.0603
38.6318 29.0285
30.0126 30.9457
39.8925 39.3026
27.3269 26.8169
16.8069 33.4628
35.9245 32.2622
30.0655 33.1195
27.5648 33.5047
EOD
set title 'VO2 "peak" it''s `echo x` \n @m' . "\n" . 'full/lasso, test set, n = 12' . "\n" . 'r = 0.14 [95% CI -0.47, 0.66], MAE 5.43'
set xlabel 'Measured (ml/kg/min)'
set ylabel 'Predicted (ml/kg/min)'
set size square
set title offset -1,0
set xrange [15.8835:40.8159]
set yrange [15.8835:40.8159]
set key bottom right samplen 2
plot $data using 1:2 with points pt 7 ps 0.35 lc rgb '#4D0072B2', \
     x with lines dt 2 lw 1 lc rgb '#000000' title 'identity'
