# ecgfit plot importance (pngcairo, 4.5 x 2.34 in)
# Render again with `gnuplot FILE.gp` from the folder ecgfit ran in; the data are inline.
reset
set encoding utf8
set terminal pngcairo size 1350,702 noenhanced font 'Sans,8' fontscale 4.167 linewidth 4.167 pointscale 4.167 rounded
set output 'importance.png'
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
# position value ecg(1)/clinical(0), largest at the top
8 4.3874 0
7 3.18403 0
6 2.63351 1
5 1.87314 1
4 1.57491 0
3 1.45477 1
2 1.14216 1
1 0.425585 1
0 0.0717488 1
EOD
set title 'Top 9 features: sbp / full / lasso'
set xlabel '|coefficient| per SD'
set border 1
set grid noytics xtics
set ytics scale 0
set ytics ('sex' 8, 'age' 7, 'emb:7' 6, 'emb:15' 5, 'bmi' 4, 'emb:14' 3, 'emb:1' 2, 'emb:4' 1, 'emb:13' 0)
set yrange [-0.7:8.7]
set xrange [0:4.60677]
set style fill solid 1.0 noborder
set key bottom right reverse Left samplen 1
plot $data using ($3 == 0 ? $2 / 2 : NaN):1:($2 / 2):(0.36) with boxxyerror lc rgb '#E69F00' title 'clinical', \
     $data using ($3 == 1 ? $2 / 2 : NaN):1:($2 / 2):(0.36) with boxxyerror lc rgb '#0072B2' title 'ECG'
