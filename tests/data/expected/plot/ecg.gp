# ecgfit plot ecg (pngcairo, 11 x 6 in)
# Render again with `gnuplot FILE.gp` from the folder ecgfit ran in; the data are inline.
reset
set encoding utf8
set terminal pngcairo size 3300,1800 noenhanced font 'Sans,8' fontscale 4.167 linewidth 4.167 pointscale 4.167 rounded
set output 'ecg.png'
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
$ecg << EOD
# 16407 data lines
EOD
$marks << EOD
-9 108
-7 108
-7 118
-2 118
-2 108
0 108

62.5 104
62.5 112

125 104
125 112

187.5 104
187.5 112

-9 78
-7 78
-7 88
-2 88
-2 78
0 78

62.5 74
62.5 82

125 74
125 82

187.5 74
187.5 82

-9 48
-7 48
-7 58
-2 58
-2 48
0 48

62.5 44
62.5 52

125 44
125 52

187.5 44
187.5 52

-9 18
-7 18
-7 28
-2 28
-2 18
0 18

EOD
set label 100 'ECG of participant 1132398 (preprocessed, 4096 samples over 10 s, mV)' at screen 0.0409, screen 0.9500 left front
set label 101 '25 mm/s    10 mm/mV    small squares 1 mm = 0.04 s, 0.1 mV' at screen 0.0409, screen 0.0233 left front
set lmargin at screen 0.0409
set rmargin at screen 0.9591
set bmargin at screen 0.0583
set tmargin at screen 0.9000
set size ratio -1
set xrange [-10:250]
set yrange [0:130]
set border 0 lw 0.6 lc rgb '#F0A39C'
set format x ''
set format y ''
set tics scale 0.001,0.001
set xtics -10,5,250
set ytics 0,5,130
set mxtics 5
set mytics 5
set grid xtics ytics mxtics mytics back lt 1 dt solid lw 0.6 lc rgb '#F0A39C', lt 1 dt solid lw 0.3 lc rgb '#F9D3CF'
set label 1 'I' at 1.5, 117 left front
set label 2 'aVR' at 65.5, 117 left front
set label 3 'V1' at 128, 117 left front
set label 4 'V4' at 190.5, 117 left front
set label 5 'II' at 1.5, 87 left front
set label 6 'aVL' at 65.5, 87 left front
set label 7 'V2' at 128, 87 left front
set label 8 'V5' at 190.5, 87 left front
set label 9 'III' at 1.5, 57 left front
set label 10 'aVF' at 65.5, 57 left front
set label 11 'V3' at 128, 57 left front
set label 12 'V6' at 190.5, 57 left front
set label 13 'II' at 1.5, 27 left front
set object 1 rectangle from -10,0 to 250,130 behind fillstyle empty border lc rgb '#F0A39C' lw 0.6
plot $marks using 1:2 with lines lw 1 lc rgb '#000000', \
     $ecg using 1:2 with lines lw 0.8 lc rgb '#000000'
