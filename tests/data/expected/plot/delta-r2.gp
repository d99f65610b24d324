# ecgfit plot delta-r2 (pngcairo, 5.5 x 2.1 in)
# Render again with `gnuplot FILE.gp` from the folder ecgfit ran in; the data are inline.
reset
set encoding utf8
set terminal pngcairo size 1650,630 noenhanced font 'Sans,8' fontscale 4.167 linewidth 4.167 pointscale 4.167 rounded
set output 'delta-r2.png'
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
# position r2_basic r2_full, first target at the top
1 0.237585 0.268111
0 -0.269558 -0.223331
EOD
set title 'Test R², basic (age, sex, BMI) → full (+ ECG): lasso'
set border 1
set grid noytics xtics
set ytics scale 0
set ytics ('sbp' 1, 'vo2max' 0)
set yrange [-0.6:1.6]
set xrange [-0.301818:0.300371]
set xtics 0.2
set rmargin 26
set label 1 'ΔR² +0.031 [-0.175, 0.255]' at graph 1.02, first 1 left
set label 2 'ΔR² +0.046 [-0.119, 0.528]' at graph 1.02, first 0 left
set key below horizontal maxrows 1 samplen 1 width 1
plot $data using 2:1:($3 - $2):(0) with vectors head filled size screen 0.012,25 lw 1.2 lc rgb '#808080', \
     $data using 2:1 with points pt 7 ps 0.8 lc rgb '#0072B2' title 'basic', \
     $data using 3:1 with points pt 7 ps 0.8 lc rgb '#D55E00' title 'full'
