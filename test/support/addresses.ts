/** A customer a few kilometres from the Lyon warehouse (so Lyon is the nearer node). */
export const LYON_ADDRESS = {
  line1: '1 rue de la République',
  city: 'Villeurbanne',
  postalCode: '69100',
  country: 'FR',
  lat: 45.7719,
  lon: 4.8902,
};

/** A customer in Paris, next to the Paris warehouse and about 400 km from Lyon's. */
export const PARIS_ADDRESS = {
  line1: '10 rue de Rivoli',
  city: 'Paris',
  postalCode: '75004',
  country: 'FR',
  lat: 48.8556,
  lon: 2.3572,
};
