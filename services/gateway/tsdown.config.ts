import { serviceBundle } from '@threadline/bundle';

export default serviceBundle();
