# ecgfit plot contribution (pngcairo, 4.2 x 3.4 in)
# Render again with `gnuplot FILE.gp` from the folder ecgfit ran in; the data are inline.
reset
set encoding utf8
set terminal pngcairo size 1260,1020 noenhanced font 'Sans,8' fontscale 4.167 linewidth 4.167 pointscale 4.167 rounded
set output 'contribution.png'
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
# bar segment from(%) to(%)
0 0 0 41.7038
0 1 41.7038 82.2935
0 2 82.2935 100
1 0 0 40.9406
1 1 40.9406 78.6188
1 2 78.6188 90.9572
1 3 90.9572 100
EOD
set title 'VO2 "peak" it''s `echo x` \n @m, lasso'
set ylabel 'Share of total |coefficient| per SD (%)'
set yrange [0:109]
set ytics 0,20,100
set xrange [-0.6:1.6]
set border 2
set grid noxtics ytics
set xtics scale 0
set style fill solid 1.0 border lc rgb '#ffffff'
set key outside right center reverse Left samplen 1 invert
set xtics ('basic' 0, 'full' 1)
set label 1 'R² -0.27' at first 0, first 100 center offset 0,0.6
set label 2 'R² -0.22' at first 1, first 100 center offset 0,0.6
plot $data using 1:($2 == 0 ? ($3 + $4) / 2 : NaN):(0.32):(($4 - $3) / 2) with boxxyerror lc rgb '#E69F00' title 'age', \
     $data using 1:($2 == 1 ? ($3 + $4) / 2 : NaN):(0.32):(($4 - $3) / 2) with boxxyerror lc rgb '#CC79A7' title 'sex', \
     $data using 1:($2 == 2 ? ($3 + $4) / 2 : NaN):(0.32):(($4 - $3) / 2) with boxxyerror lc rgb '#009E73' title 'BMI', \
     $data using 1:($2 == 3 ? ($3 + $4) / 2 : NaN):(0.32):(($4 - $3) / 2) with boxxyerror lc rgb '#0072B2' title 'ECG embedding'
