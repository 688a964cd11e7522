//! The generate workspace's components.

mod canvas_form;
mod card_actions;
mod card_posts;
mod generation_canvas;
mod grid_focus;
mod grid_measure;
mod grid_ui;
mod grid_window;
mod image_retry;
mod lightbox;
mod new_session_form;
mod output_delete;
mod output_list;
mod result_card;
mod result_grid;
mod session_delete;
mod session_heading;
mod session_item;
mod session_list;
mod session_rail;
mod session_rename;

pub use canvas_form::{CanvasForm, OptionsFold};
pub use card_actions::{action_tabindex, CardTabStop, DownloadLink, PostButton, StarButton};
pub use card_posts::{delete_block, CardPosts};
pub use generation_canvas::GenerationCanvas;
pub use grid_ui::{GridUi, ResultFilter};
pub use image_retry::retry_broken_images_when_online;
pub use lightbox::Lightbox;
pub use new_session_form::NewSessionForm;
pub use output_list::OutputList;
pub use result_card::ResultCard;
pub use result_grid::ResultGrid;
pub use session_heading::SessionHeading;
pub use session_item::SessionItem;
pub use session_list::SessionList;
pub use session_rail::SessionRail;
