// keras_oracle.mjs — the independent Keras-semantics oracle of tests/oracle/run.sh:
// tfjs-layers builds the network from the .h5 model_config, h5wasm reads (and writes)
// the HDF5 file.  Nothing here shares code with ecgfit.  Arrays travel as raw
// little-endian float32 files.  Modes:
//   predict MODEL.h5 IN.f32 OUT.f32 [LAYER]    outputs of MODEL (or of LAYER) for IN (n x steps x ch)
//   mini KIND MODEL.h5 IN.f32 OUT.f32 [SEED]   build a small Functional model in tfjs (KIND pclr|wide),
//                                              seeded weights, write it as Keras .h5 with h5wasm,
//                                              a deterministic input and tfjs's output
//   unpack REF.h5 DIR                          every float dataset of an .h5 to DIR/<path with _>.f32
//   compare GOT.f32 REF.f32 TOL                max|got-ref| / max|ref| <= TOL (exit 1 otherwise;
//                                              also when REF is all zeros: nothing would be tested)
//   npy2f32 OUT.f32 IN.npy...                  concatenate float32 .npy files
//   randn OUT.f32 COUNT SEED                   COUNT seeded N(0,1) floats
// BACKEND=cpu selects the pure-JS backend (default wasm).
import * as tf from '@tensorflow/tfjs';
import h5wasm from 'h5wasm/node';
import fs from 'node:fs';
import path from 'node:path';

const backend = process.env.BACKEND || 'wasm';
if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
await tf.setBackend(backend); await tf.ready(); await h5wasm.ready;

const readF32 = f => { const b = fs.readFileSync(f); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
const writeF32 = (f, a) => fs.writeFileSync(f, Buffer.from(Float32Array.from(a).buffer));
const attrStr = v => (typeof v === 'string' ? v : new TextDecoder().decode(v));

// Keras 3 legacy-h5 configs -> the Keras 2 form tfjs-layers reads (keras-h5.md §8).
function toKeras2Config(o) {
  if (Array.isArray(o)) return o.map(toKeras2Config);
  if (!o || typeof o !== 'object') return o;
  if (o.class_name === 'DTypePolicy' || o.class_name === 'FloatDTypePolicy') return o.config.name;
  const r = {};
  for (const [k, v] of Object.entries(o)) {
    if (['module', 'registered_name', 'optional', 'synchronized'].includes(k)) continue;
    if (k === 'batch_shape') { r.batch_input_shape = v; continue; }
    if ((k === 'input_layers' || k === 'output_layers') && typeof v[0] === 'string') { r[k] = [v]; continue; }
    if (k === 'inbound_nodes' && Array.isArray(v)) {
      r.inbound_nodes = v.map(n => {
        if (Array.isArray(n)) return n;
        const out = [];
        const walk = a => { if (Array.isArray(a)) a.forEach(walk); else if (a && a.class_name === '__keras_tensor__') out.push([...a.config.keras_history, {}]); };
        walk(n.args); return out;
      });
      continue;
    }
    r[k] = toKeras2Config(v);
  }
  return r;
}

// Load a Keras .h5: model from model_config, weights by position from weight_names.
async function loadKerasH5(file) {
  const f = new h5wasm.File(file, 'r');
  const model = await tf.models.modelFromJSON(toKeras2Config(JSON.parse(attrStr(f.attrs['model_config'].value))));
  const mw = f.get('model_weights');
  for (const l of model.layers) {
    if (!l.weights.length) continue;
    const g = mw.get(l.name);
    let wn = g.attrs['weight_names'].value; if (!Array.isArray(wn)) wn = [wn];
    l.setWeights(wn.map(w => { const d = g.get(attrStr(w)); return tf.tensor(d.value, d.shape, 'float32'); }));
  }
  f.close();
  return model;
}

// Predict in batches of 8 (wasm keeps one ECG batch ~1 s); returns [Float32Array, shape].
function predictAll(model, x, n) {
  const [, L, C] = model.inputs[0].shape;
  const out = []; let shape = null;
  for (let i = 0; i < n; i += 8) {
    const b = Math.min(8, n - i);
    const y = tf.tidy(() => model.predict(tf.tensor3d(x.subarray(i * L * C, (i + b) * L * C), [b, L, C])));
    shape = y.shape; out.push(y.dataSync()); y.dispose();
  }
  const per = shape.slice(1).reduce((p, q) => p * q, 1);
  const all = new Float32Array(n * per); out.forEach((a, k) => all.set(a, k * 8 * per));
  return [all, [n, ...shape.slice(1)]];
}

// splitmix64 -> uniform -> Box-Muller: seeded weights without tfjs's own RNG.
function rng(seed) {
  let s = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 1n);
  const next = () => {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
  };
  return { uniform: (a, b) => a + (b - a) * next(), normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()) };
}

function miniModel(kind) {
  const L = tf.layers;
  if (kind === 'pclr') {   // the PCLR layer kinds, odd length: SAME padding in pools and strided convs
    const x = L.input({ shape: [250, 12], name: 'ecg' });
    const c0 = L.conv1d({ filters: 8, kernelSize: 16, padding: 'same', useBias: false, name: 'conv1d' }).apply(x);
    const a0 = L.activation({ activation: 'relu', name: 'activation' }).apply(L.batchNormalization({ name: 'batch_normalization' }).apply(c0));
    const h = L.activation({ activation: 'relu', name: 'activation_1' }).apply(
      L.batchNormalization({ name: 'batch_normalization_1' }).apply(L.conv1d({ filters: 12, kernelSize: 16, padding: 'same', useBias: false, name: 'conv1d_2' }).apply(a0)));
    const sk = L.conv1d({ filters: 12, kernelSize: 1, padding: 'same', useBias: false, name: 'conv1d_1' }).apply(
      L.maxPooling1d({ poolSize: 4, strides: 4, padding: 'same', name: 'max_pooling1d' }).apply(a0));
    const m = L.conv1d({ filters: 12, kernelSize: 16, strides: 4, padding: 'same', useBias: false, name: 'conv1d_3' }).apply(h);
    const s = L.add({ name: 'add' }).apply([m, sk]);
    const a1 = L.activation({ activation: 'relu', name: 'activation_2' }).apply(L.batchNormalization({ name: 'batch_normalization_2' }).apply(s));
    const e = L.globalAveragePooling1d({ name: 'embed' }).apply(a1);
    return tf.model({ inputs: x, outputs: e, name: 'mini_pclr' });
  }
  // wide: the other layer kinds the loader promises (tfjs has no ZeroPadding1D)
  const x = L.input({ shape: [101, 3], name: 'sig' });
  const c1 = L.conv1d({ filters: 8, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', name: 'c1' }).apply(x);
  const r1 = L.reLU({ maxValue: 3, name: 'relu1' }).apply(L.batchNormalization({ epsilon: 0.01, name: 'bn1' }).apply(c1));
  const p1 = L.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same', name: 'mp1' }).apply(r1);
  const c2 = L.conv1d({ filters: 8, kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false, activation: 'tanh', name: 'c2' }).apply(p1);
  const c3 = L.conv1d({ filters: 8, kernelSize: 1, activation: 'sigmoid', name: 'c3' }).apply(p1);
  const ad = L.activation({ activation: 'swish', name: 'sw' }).apply(L.add({ name: 'add1' }).apply([c2, c3]));
  const cat = L.concatenate({ name: 'cat1' }).apply([ad, p1]);
  const ap = L.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same', name: 'ap1' }).apply(cat);
  const c4 = L.conv1d({ filters: 6, kernelSize: 4, strides: 3, padding: 'valid', activation: 'elu', name: 'c4' }).apply(ap);
  const gap = L.globalAveragePooling1d({ name: 'gap' }).apply(c4);
  const gmp = L.globalMaxPooling1d({ name: 'gmp' }).apply(c4);
  const d1 = L.dense({ units: 4, name: 'd1' }).apply(L.flatten({ name: 'flat' }).apply(c4));
  const c5 = L.concatenate({ name: 'cat2' }).apply([gap, gmp, d1]);
  const out = L.dense({ units: 5, activation: 'softmax', name: 'out' }).apply(L.dropout({ rate: 0.5, name: 'drop' }).apply(c5));
  return tf.model({ inputs: x, outputs: out, name: 'mini_wide' });
}

// Keras 2 h5 layout written by h5wasm (its own HDF5 build and string defaults).
function writeKerasH5(model, file) {
  const cfg = model.toJSON(null, false);
  const f = new h5wasm.File(file, 'w');
  f.create_attribute('keras_version', '2.4.0');
  f.create_attribute('backend', 'tensorflow');
  f.create_attribute('model_config', JSON.stringify({ class_name: 'Functional', config: cfg.config }));
  const mw = f.create_group('model_weights');
  mw.create_attribute('layer_names', model.layers.map(l => l.name));
  mw.create_attribute('backend', 'tensorflow');
  mw.create_attribute('keras_version', '2.4.0');
  for (const l of model.layers) {
    const g = mw.create_group(l.name);
    // weight-name prefixes need not match the group (seen in real files)
    const names = l.weights.map(w => `${l.name}_1/${w.name.split('/').pop()}:0`);
    if (names.length) g.create_attribute('weight_names', names);
    else g.create_attribute('weight_names', new Float64Array(0), [0], '<d');
    l.getWeights().forEach((w, i) => {
      const [dir, leaf] = names[i].split('/');
      const sub = g.keys().includes(dir) ? g.get(dir) : g.create_group(dir);
      sub.create_dataset({ name: leaf, data: w.dataSync(), shape: w.shape, dtype: '<f' });
    });
  }
  f.close();
}

const [mode, a, b, c, d, e] = process.argv.slice(2);
if (mode === 'predict') {
  const model = await loadKerasH5(a);
  const [, L, C] = model.inputs[0].shape;
  const x = readF32(b), n = x.length / (L * C);
  if (!Number.isInteger(n)) throw new Error(`${b}: ${x.length} floats is not a multiple of ${L}x${C}`);
  const probe = d ? tf.model({ inputs: model.inputs, outputs: model.getLayer(d).output }) : model;
  predictAll(probe, x, Math.min(n, 1));                     // warm-up (wasm compiles kernels)
  const t0 = performance.now();
  const [y, shape] = predictAll(probe, x, n);
  const ms = (performance.now() - t0) / n;
  writeF32(c, y);
  console.log(JSON.stringify({ n, shape, ms_per_input: +ms.toFixed(1), backend: tf.getBackend(), params: model.countParams() }));
} else if (mode === 'mini') {
  const model = miniModel(a), r = rng(Number(e || 11));
  for (const l of model.layers) {
    if (!l.weights.length) continue;
    l.setWeights(l.weights.map(w => {
      const n = w.shape.reduce((p, q) => p * q, 1), v = new Float32Array(n);
      const fan = w.shape.length > 1 ? w.shape.slice(0, -1).reduce((p, q) => p * q, 1) : 0;
      for (let i = 0; i < n; i++)
        v[i] = /variance/.test(w.name) ? r.uniform(0.5, 1.5) : /gamma/.test(w.name) ? r.uniform(0.8, 1.2)
          : /beta|mean|bias/.test(w.name) ? 0.1 * r.normal() : Math.sqrt(2 / fan) * r.normal();
      return tf.tensor(v, w.shape);
    }));
  }
  writeKerasH5(model, b);
  const [, L, C] = model.inputs[0].shape, n = 3, x = new Float32Array(n * L * C);
  for (let i = 0; i < x.length; i++) x[i] = r.normal();
  const [y, shape] = predictAll(model, x, n);
  writeF32(c, x); writeF32(d, y);
  console.log(JSON.stringify({ kind: a, layers: model.layers.length, params: model.countParams(), shape }));
} else if (mode === 'unpack') {
  const f = new h5wasm.File(a, 'r');
  const walk = (g, p) => {
    for (const k of g.keys()) {
      const o = g.get(k), q = p ? `${p}_${k}` : k;
      if (o instanceof h5wasm.Group) walk(o, q);
      else if (o instanceof h5wasm.Dataset && /^<f/.test(o.dtype)) { writeF32(path.join(b, q + '.f32'), o.value); console.log(q, JSON.stringify(o.shape)); }
    }
  };
  walk(f, ''); f.close();
} else if (mode === 'compare') {
  const g = readF32(a), r = readF32(b);
  if (g.length !== r.length) { console.log(`size ${g.length} != ${r.length}`); process.exit(1); }
  let md = 0, mr = 0;
  for (let i = 0; i < r.length; i++) { md = Math.max(md, Math.abs(g[i] - r[i]) || (g[i] === r[i] ? 0 : Infinity)); mr = Math.max(mr, Math.abs(r[i])); }
  const rel = md / mr;
  console.log(`max|diff| ${md.toExponential(2)} max|ref| ${mr.toPrecision(4)} rel ${rel.toExponential(2)} n ${r.length}`);
  process.exit(mr > 0 && rel <= Number(c) ? 0 : 1);
} else if (mode === 'npy2f32') {
  const parts = process.argv.slice(4).map(f => {
    const buf = fs.readFileSync(f), hl = buf.readUInt16LE(8), hdr = buf.toString('latin1', 10, 10 + hl);
    if (buf.toString('latin1', 1, 6) !== 'NUMPY' || buf[6] !== 1 || !hdr.includes("'descr': '<f4'") || !hdr.includes("'fortran_order': False"))
      throw new Error(`${f}: not a version-1 C-order float32 .npy`);
    return buf.subarray(10 + hl);
  });
  fs.writeFileSync(a, Buffer.concat(parts));
} else if (mode === 'randn') {
  const r = rng(Number(c)), x = new Float32Array(Number(b));
  for (let i = 0; i < x.length; i++) x[i] = r.normal();
  writeF32(a, x);
} else {
  console.error('modes: predict | mini | unpack | compare'); process.exit(2);
}
