// Golden quantizer outputs for the K-quant and ternary reference quantizers. How they were made: the
// reference functions of ggml's src/ggml-quants.c (ggml-org/ggml at 5136ed06: nearest_int, make_qx_quants,
// make_q3_quants, make_qkx2_quants, quantize_row_{q2_K,q3_K,q4_K,q5_K,q6_K,q8_K,tq1_0,tq2_0}_ref; fp16 via
// GCC's _Float16, which rounds to nearest even like GGML_FP32_TO_FP16) were transcribed into a one-off C
// harness outside this repository, compiled with gcc 12.2 -O2 -ffp-contract=off on x86-64 (no FMA: the
// unfused reference of lowbit.md §0.2), and fed the float32 inputs below as raw little-endian bytes.
// Nothing here was produced by the TypeScript under test.
import { randomFloats } from './linear.js';

/** One block of exactly representable (dyadic) inputs: x[j] = ((37j mod 61) − 30)/16 + ((j mod 7) − 3)/128. */
export function dyadicBlock(): Float32Array {
  return Float32Array.from({ length: 256 }, (_, j) => (((j * 37) % 61) - 30) / 16 + ((j % 7) - 3) / 128);
}

/**
 * `blocks` blocks of mixed distributions from one xorshift32 stream (randomFloats), block b of kind b mod 8:
 * uniform, uniform at scale 2^(b/8 mod 8 − 4), a sum of four uniforms, 70 % zeros, all positive, heavy-tailed
 * (u^7), small integers, and multiples of 1/8 (many ties). Only IEEE-exact float64 operations, so every engine
 * makes the same floats.
 */
export function mixedBlocks(blocks: number, seed: number): Float32Array {
  const u = randomFloats(4 * 256 * blocks, seed);
  const x = new Float32Array(256 * blocks);
  for (let i = 0; i < x.length; i++) {
    const b = i >> 8;
    const [a, c, d, e] = [u[4 * i], u[4 * i + 1], u[4 * i + 2], u[4 * i + 3]];
    switch (b % 8) {
      case 0: x[i] = a; break;
      case 1: x[i] = a * 2 ** (((b >> 3) % 8) - 4); break;
      case 2: x[i] = (a + c + d + e) / 2; break;
      case 3: x[i] = c < 0.4 ? 0 : 3 * a; break;
      case 4: x[i] = 2.5 * (a + 1); break;
      case 5: x[i] = 100 * a * a * a * a * a * a * a; break;
      case 6: x[i] = Math.round(4 * a); break;
      default: x[i] = Math.round(32 * a) / 8;
    }
  }
  return x;
}

/** The ggml block of dyadicBlock() per type, hex. */
export const GOLDEN_DYADIC_BLOCK: Record<string, string> = {
  Q2_K:
    'edacedbdddbdddedcdefcdfdcdedcdec74d249279d74d249279e78e289279e78d28927dd74e28967de78228967d24822d249279d74d24927' +
    '9d74e289279e78e28d77de78269d77d289269d78d289279d442d0b30',
  Q3_K:
    '74c9ba55aa76cdba55ab76cdba55ab36fc0fe03f03fc0fc07e03f03fc0fc0ff0bcf1061b6fb0c1066bacb1c51a6bacf1c63aac9cc3c679ac' +
    '9fc77a69ac9337794d3eeba4910d3aeba4410e3be790413e696cdfc73a696cd7f63a6993c73639a857a8870588ba8790c0fff000c8a4',
  Q4_K:
    '0e1cbf27fffdfffefffdfbfdcdecbdce6009a33dd7711aa44de7711ab45ee8822bb55ef8822bc56ff9933cc66f09a33c4cd67019a34dd771' +
    '1aa44de7812ab45ee8822bc56ef8923bc56f09933cd660091aa44de7811ab45ee8812bc55ef8922bc56ff9923cd66f09a33dd6701aa34de7' +
    'd7711aa44ee7811bb55ee8822bc55ff8923cc56f09933cc66009a34dd7701aa4',
  Q5_K:
    'dd17c927fffefffefefdfdffdeed9dde942952a56a94a95ab56ad4a95ab56ad6ad5ab56b56ad5a952b56a54a952952a5d003477aaee11458' +
    '8bcef225699cdf03467aade114578bcef225699cdf0336698abde124589bce023569acdf13468abde024578bcef135689cdf034679bde014' +
    '24588bcf023579acd013478abdf124579bcef23568acdf03467abde014578bcebef125689bdf023679ade013578abef124689bdf023579ac' +
    'd013468abde02458',
  Q6_K:
    '60b71ea50c93da30c72eb50c63e940d7e37c059e37c15ae37c059e37c15af37ceb80c91eb70da2fb41da2ec41d630c51c83ea51c83fa61b8' +
    '3e950c83ea61b82e2bde4bee610db02dc033d0930fa215b259e38b15af37c15ae28c16ae38c05ae37e15c036d14ce2ad14bf2ad07be19c08' +
    '51c73fa51c73e950c73ea51c73e950c734d248239d74d249279d74e28927de78d1ba14ed4bd1be04ed4b10be04e17b102eb4df61882e75db' +
    '62841f75db22841fbe04ed4b10be04e17b10be47e17b14ae7e82777e7783747c6d808b7d8982897ec50f',
  Q8_K:
    'd4e9743c811cb854f08c27c05bf7932fcb66fe9b36d26d09a63dd97511ad48e47c18b44fec8823bc57f38f2ac762fa9632ce6905a139d570' +
    '0da944e07814b04be7841fb753ef8b26c25ef6922dca65019d35d16c08a540dc7410ac47e37e1bb34eeb8722be59f28e29c561fd9931cd68' +
    '04a03cd86f0ba843df7a16af4ae6831eba55ee8a25c15df9952cc964009c37d46b07a33fdb7612ab46e27d1ab651ea8621bd58f59128c460' +
    'fc9833cf67039f3bd7720ea742de7915b24de5821db954f08c24c05bf8942fcb63ff9b36d36e0aa23eda7511ad49e17c19b550ec8820bc57' +
    'f3902bc75ffb9732ce6a069e39d6710da944dd7814b14ce8841cb853ef8b27c35af7932eeafe30017dffc1ff070051009affdbff25006f00' +
    'b5fff9ff44008dffce001aff',
  TQ1_0:
    '316722b69b346722d29b346778d29b346778dc9f356794dc9f35b692dc6622b6457a9bd86d457a62d26d457a62d36d486620b59b983f',
  TQ2_0:
    '2491441259649144165964914516596491452699649149269964124926914412914516596491451659649145169964914926996412492691' +
    '4412496491441259983f',
};

/** SHA-256 of the 256 blocks ggml makes from mixedBlocks(256, 20261201). */
export const GOLDEN_MIXED_SHA256: Record<string, string> = {
  Q2_K: 'adc1050e586d545ccda9beec5c236ac59fccabce1b8a094d17eb67be60841b36',
  Q3_K: '4c27ac92f728e3ee11d8f76a3c1930c4054ec1d8dbac5ade4e38ebd65304f863',
  Q4_K: '220a5117c2eed9a98d15172de770d94f20d45bd7582f57c262da93e709604515',
  Q5_K: 'c01443bda9fc23e40d0c419d6fac96a846db50c463d8908ce94fecb0fe212bfe',
  Q6_K: 'c241d844ef36bfdfdcc2410d6df28c0c64707619d30a326b95b1f1d67ae90870',
  Q8_K: 'd17652476abb36f02d55dca815d871fa902adc62f5da02ec7aa31a3294b70a93',
  TQ1_0: 'c3f7aa7b45ed559b6b1ce495767f97a9085e4a924611af62c83dc13f4d2b7380',
  TQ2_0: 'dc743ad5d0fec83358d7c7918297b94f18645af524c2dbbfb1c3a0bf02027bd1',
};
